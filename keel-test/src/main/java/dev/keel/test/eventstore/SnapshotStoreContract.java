package dev.keel.test.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import dev.keel.eventstore.EventData;
import dev.keel.eventstore.EventStore;
import dev.keel.eventstore.ExpectedVersion;
import dev.keel.eventstore.snapshot.Snapshot;
import dev.keel.eventstore.snapshot.SnapshotStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of every {@link SnapshotStore} that comes with an event store (snapshots live and die
 * with their streams). A subclass makes a store and returns its snapshot store.
 */
public abstract class SnapshotStoreContract {

    /** A new event store of the engine under test. */
    protected abstract EventStore newStore();

    /** The snapshots of that store. */
    protected abstract SnapshotStore snapshotsOf(EventStore store);

    private EventStore store;
    private SnapshotStore snapshots;
    private final String stream = "snap" + UUID.randomUUID().toString().substring(0, 8) + "-1";
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @BeforeEach
    void open() {
        store = newStore();
        snapshots = snapshotsOf(store);
        for (int i = 1; i <= 5; i++) {
            store.append(stream, ExpectedVersion.any(), EventData.of("Counted", "{\"n\":" + i + "}"));
        }
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void loads_nothing_for_a_stream_without_snapshots() {
        assertThat(snapshots.load(stream, "Counter")).isEmpty();
    }

    @Test
    void loads_the_latest_snapshot_of_a_stream_and_state_type() {
        snapshots.save(new Snapshot(stream, 2, "Counter", 1, "{\"sum\":3}", NOW));
        snapshots.save(new Snapshot(stream, 4, "Counter", 1, "{\"sum\":10}", NOW));

        Snapshot loaded = snapshots.load(stream, "Counter").orElseThrow();

        assertThat(loaded.streamVersion()).isEqualTo(4);
        assertThat(loaded.schemaVersion()).isEqualTo(1);
        assertThat(loaded.state().replace(" ", "")).isEqualTo("{\"sum\":10}");
        assertThat(loaded.takenAt()).isEqualTo(NOW);
    }

    @Test
    void keeps_a_later_snapshot_when_an_earlier_one_arrives_late() {
        snapshots.save(new Snapshot(stream, 4, "Counter", 1, "{\"sum\":10}", NOW));
        snapshots.save(new Snapshot(stream, 2, "Counter", 1, "{\"sum\":3}", NOW));

        assertThat(snapshots.load(stream, "Counter").orElseThrow().streamVersion()).isEqualTo(4);
    }

    @Test
    void keeps_snapshots_of_different_state_types_apart() {
        snapshots.save(new Snapshot(stream, 3, "Counter", 1, "{\"sum\":6}", NOW));
        snapshots.save(new Snapshot(stream, 5, "Audit", 2, "{\"count\":5}", NOW));

        assertThat(snapshots.load(stream, "Counter").orElseThrow().streamVersion()).isEqualTo(3);
        assertThat(snapshots.load(stream, "Audit").orElseThrow().schemaVersion()).isEqualTo(2);
    }

    @Test
    void deleting_the_stream_deletes_its_snapshots() {
        snapshots.save(new Snapshot(stream, 5, "Counter", 1, "{\"sum\":15}", NOW));

        store.delete(stream, ExpectedVersion.any());

        assertThat(snapshots.load(stream, "Counter")).isEmpty();
    }

    @Test
    void a_snapshot_of_a_deleted_stream_is_not_kept() {
        store.delete(stream, ExpectedVersion.any());

        snapshots.save(new Snapshot(stream, 5, "Counter", 1, "{\"sum\":15}", NOW));

        assertThat(snapshots.load(stream, "Counter")).isEmpty();
    }
}
