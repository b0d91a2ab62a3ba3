package dev.keel.eventstore;

import dev.keel.eventstore.postgres.PostgresEventStore;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import dev.keel.test.eventstore.CheckpointStoreContract;

@WithInfrastructure
class PostgresCheckpointStoreTest extends CheckpointStoreContract {

    private final TestDatabase db;

    PostgresCheckpointStoreTest(TestDatabase db) {
        this.db = db;
    }

    @Override
    protected CheckpointStore newCheckpointStore() {
        return PostgresEventStore.builder(db.dataSource()).schema("checkpoints").build().checkpoints();
    }
}
