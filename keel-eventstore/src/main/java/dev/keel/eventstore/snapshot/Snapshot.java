package dev.keel.eventstore.snapshot;

import java.time.Instant;
import java.util.Objects;

/**
 * The state of a stream after a given version, stored so that loading it does not replay every event.
 *
 * @param streamId      the stream
 * @param streamVersion the version of the last event folded into the state
 * @param stateType     the name of the state's type, e.g. {@code shop.order.OrderState}: several kinds
 *                      of state may be kept for one stream
 * @param schemaVersion the version of the state's JSON shape; upcasters lift old ones, and a snapshot
 *                      that cannot be lifted is ignored (the state is rebuilt from the events)
 * @param state         the state as a JSON object
 * @param takenAt       when it was taken
 */
public record Snapshot(String streamId, long streamVersion, String stateType, int schemaVersion, String state, Instant takenAt) {

    public Snapshot {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(stateType, "stateType");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(takenAt, "takenAt");
        if (streamVersion < 1) {
            throw new IllegalArgumentException("a snapshot follows at least one event, got version " + streamVersion);
        }
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("a snapshot's schema version is 1 or more, got " + schemaVersion);
        }
    }
}
