package dev.keel.eventstore;

import dev.keel.eventstore.postgres.PostgresEventStore;
import dev.keel.eventstore.snapshot.SnapshotStore;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import dev.keel.test.eventstore.SnapshotStoreContract;

@WithInfrastructure
class PostgresSnapshotStoreTest extends SnapshotStoreContract {

    private final TestDatabase db;

    PostgresSnapshotStoreTest(TestDatabase db) {
        this.db = db;
    }

    @Override
    protected EventStore newStore() {
        return PostgresEventStore.builder(db.dataSource()).schema("snapshots").build();
    }

    @Override
    protected SnapshotStore snapshotsOf(EventStore store) {
        return ((PostgresEventStore) store).snapshots();
    }
}
