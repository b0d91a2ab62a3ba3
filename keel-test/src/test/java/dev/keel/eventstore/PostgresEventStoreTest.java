package dev.keel.eventstore;

import dev.keel.eventstore.postgres.PostgresEventStore;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import dev.keel.test.eventstore.EventStoreContract;

@WithInfrastructure
class PostgresEventStoreTest extends EventStoreContract {

    private final TestDatabase db;

    PostgresEventStoreTest(TestDatabase db) {
        this.db = db;
    }

    @Override
    protected EventStore newStore(EventStoreSettings settings) {
        return PostgresEventStore.builder(db.dataSource()).schema("contract").settings(settings).build();
    }
}
