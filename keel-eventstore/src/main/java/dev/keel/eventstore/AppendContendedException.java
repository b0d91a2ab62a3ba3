package dev.keel.eventstore;

import dev.keel.core.TransientException;

/**
 * Writers outside this store instance kept racing an append into the same stream version or event
 * id, round after round, so it was neither written nor refused. Nothing was written; retrying later
 * (with the same event ids) is safe.
 */
public final class AppendContendedException extends TransientException {

    private final String streamId;

    private AppendContendedException(String streamId, int rounds) {
        super("append to " + streamId + " lost a race with other writers " + rounds + " times in a row; nothing was written");
        this.streamId = streamId;
    }

    public static AppendContendedException racedTooOften(String streamId, int rounds) {
        return new AppendContendedException(streamId, rounds);
    }

    public String streamId() {
        return streamId;
    }
}
