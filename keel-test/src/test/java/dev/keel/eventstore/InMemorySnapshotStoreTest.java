package dev.keel.eventstore;

import dev.keel.eventstore.memory.InMemoryEventStore;
import dev.keel.eventstore.snapshot.SnapshotStore;
import dev.keel.test.eventstore.SnapshotStoreContract;

class InMemorySnapshotStoreTest extends SnapshotStoreContract {

    @Override
    protected EventStore newStore() {
        return InMemoryEventStore.create();
    }

    @Override
    protected SnapshotStore snapshotsOf(EventStore store) {
        return ((InMemoryEventStore) store).snapshots();
    }
}
