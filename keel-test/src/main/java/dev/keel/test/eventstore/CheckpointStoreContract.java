package dev.keel.test.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import dev.keel.eventstore.CheckpointStore;
import dev.keel.postgres.LogPosition;
import org.junit.jupiter.api.Test;

/** The contract of every {@link CheckpointStore}; a store's test is a subclass that makes one. */
public abstract class CheckpointStoreContract {

    protected abstract CheckpointStore newCheckpointStore();

    private final String name = "subscription-" + UUID.randomUUID();

    @Test
    void has_no_checkpoint_for_a_subscription_that_never_saved_one() {
        assertThat(newCheckpointStore().load(name)).isEmpty();
    }

    @Test
    void loads_the_last_saved_position() {
        CheckpointStore checkpoints = newCheckpointStore();
        checkpoints.save(name, new LogPosition(7, 70));
        checkpoints.save(name, new LogPosition(9, 71));

        assertThat(checkpoints.load(name)).contains(new LogPosition(9, 71));
    }

    @Test
    void keeps_the_checkpoints_of_subscriptions_apart() {
        CheckpointStore checkpoints = newCheckpointStore();
        checkpoints.save(name + "-a", new LogPosition(1, 1));
        checkpoints.save(name + "-b", new LogPosition(2, 2));

        assertThat(checkpoints.load(name + "-a")).contains(new LogPosition(1, 1));
        assertThat(checkpoints.load(name + "-b")).contains(new LogPosition(2, 2));
    }
}
