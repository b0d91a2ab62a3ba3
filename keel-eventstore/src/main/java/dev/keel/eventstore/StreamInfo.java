package dev.keel.eventstore;

import java.util.Objects;

/**
 * What a stream is now.
 *
 * @param streamId the stream
 * @param version  the version of its last application event (0: none); an archived or deleted
 *                 stream's end marker is not counted
 * @param state    whether it exists and takes appends
 */
public record StreamInfo(String streamId, long version, StreamState state) {

    public StreamInfo {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(state, "state");
    }

    public enum StreamState {
        /** Nothing was ever appended. */
        NO_STREAM,
        /** It has events and takes more. */
        ACTIVE,
        /** Read-only: its events stay readable, appends are refused. */
        ARCHIVED,
        /** Deleted for good: events gone, reads and appends refused, the id is never reused. */
        DELETED
    }
}
