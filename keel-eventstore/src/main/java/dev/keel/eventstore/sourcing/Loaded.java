package dev.keel.eventstore.sourcing;

import java.util.Objects;

/**
 * A stream's state as loaded.
 *
 * @param streamId the stream
 * @param state    the state after the stream's events (up to the version or instant asked for)
 * @param version  the version of the last event folded in; 0 when there was none
 */
public record Loaded<S>(String streamId, S state, long version) {

    public Loaded {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(state, "state");
    }

    public boolean isNew() {
        return version == 0;
    }
}
