package dev.keel.eventstore;

import dev.keel.eventstore.memory.InMemoryEventStore;
import dev.keel.test.eventstore.EventStoreContract;

class InMemoryEventStoreTest extends EventStoreContract {

    @Override
    protected EventStore newStore(EventStoreSettings settings) {
        return InMemoryEventStore.builder().settings(settings).build();
    }
}
