package dev.keel.eventstore;

import dev.keel.eventstore.memory.InMemoryCheckpointStore;
import dev.keel.test.eventstore.CheckpointStoreContract;

class InMemoryCheckpointStoreTest extends CheckpointStoreContract {

    private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();

    @Override
    protected CheckpointStore newCheckpointStore() {
        return checkpoints;
    }
}
