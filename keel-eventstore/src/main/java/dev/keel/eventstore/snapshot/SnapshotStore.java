package dev.keel.eventstore.snapshot;

import java.util.Optional;

/**
 * Keeps the latest snapshot per stream and state type (SPI). A store's snapshots go when their stream
 * is deleted. Implementations: {@code PostgresEventStore#snapshots()}, {@code InMemoryEventStore#snapshots()};
 * each passes {@code dev.keel.test.eventstore.SnapshotStoreContract}.
 */
public interface SnapshotStore {

    /** Keeps {@code snapshot} unless one of a later version of the same stream and state type is kept already. */
    void save(Snapshot snapshot);

    /** The latest snapshot of {@code streamId} of that state type. */
    Optional<Snapshot> load(String streamId, String stateType);
}
