package dev.keel.eventstore;

import java.util.Objects;

import dev.keel.postgres.LogPosition;

/**
 * What an append did.
 *
 * @param streamId      the stream
 * @param streamVersion the stream's version after the append: the version of its last event
 * @param position      the log position of the append's last event; a token for read-your-writes
 *                      ({@link LogPosition#token()})
 * @param alreadyStored true when the append was an exact retry of one stored before: nothing new was
 *                      written, and the versions and position are those of the first time
 */
public record AppendResult(String streamId, long streamVersion, LogPosition position, boolean alreadyStored) {

    public AppendResult {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(position, "position");
    }

    /** The expected version for the next append to this stream by the same writer. */
    public ExpectedVersion nextExpectedVersion() {
        return ExpectedVersion.exactly(streamVersion);
    }
}
