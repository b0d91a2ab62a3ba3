package dev.keel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keel.eventstore.postgres.PostgresEventStore;
import dev.keel.postgres.SqlFailure;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit on real PostgreSQL: appends that queue up while a transaction is in flight go together
 * into the next one, each with an outcome of its own; a conflict, a retry or even a failure of one
 * append leaves its neighbours alone; writers in other processes and lost connections never make a
 * version or an event appear twice.
 */
@WithInfrastructure
class GroupCommitTest {

    private final TestDatabase db;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    GroupCommitTest(TestDatabase db) {
        this.db = db;
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    /** A store that runs one transaction at a time, so that everything else queues behind it. */
    private PostgresEventStore oneAtATime(String schema) {
        return PostgresEventStore.builder(db.dataSource()).schema(schema).meterRegistry(meters).groupCommit(1, 256, 4_096).build();
    }

    /**
     * Holds the store's only transaction slot: an append to a stream whose first version another
     * transaction has taken and not committed waits for it. Releasing rolls that transaction back.
     */
    private final class Gate implements AutoCloseable {
        private final Connection holder;
        private final Future<AppendResult> waiting;

        Gate(PostgresEventStore store, String stream) throws Exception {
            holder = db.dataSource().getConnection();
            holder.setAutoCommit(false);
            try (PreparedStatement insert = holder.prepareStatement("INSERT INTO " + store.eventsTable()
                    + " (stream_id, stream_version, event_id, event_type, schema_version, payload, metadata)"
                    + " VALUES (?, 1, gen_random_uuid(), 'Gate', 1, '{}', '{}')")) {
                insert.setString(1, stream);
                insert.executeUpdate();
            }
            waiting = executor.submit(() -> store.append(stream, ExpectedVersion.noStream(), EventData.of("Gate", "{}")));
            await().atMost(Duration.ofSeconds(10)).until(() -> backendsWaitingForLocks() == 1);
        }

        AppendResult release() throws Exception {
            holder.rollback();
            return waiting.get(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws SQLException {
            holder.close();
        }
    }

    private int backendsWaitingForLocks() throws SQLException {
        try (Connection connection = db.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
             ResultSet row = query.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }

    private double waiting() {
        return meters.get("keel.eventstore.group.commit.waiting").gauge().value();
    }

    @Test
    void appends_that_queue_up_meanwhile_share_one_transaction_and_each_gets_its_own_outcome() throws Exception {
        try (PostgresEventStore store = oneAtATime("gc_outcomes")) {
            store.append("old", ExpectedVersion.noStream(), EventData.of("Counted", "{}"), EventData.of("Counted", "{}"));
            EventData once = EventData.of("Counted", "{}");
            store.append("retried", ExpectedVersion.noStream(), once);
            store.append("closed", ExpectedVersion.noStream(), EventData.of("Counted", "{}"));
            store.archive("closed", ExpectedVersion.any());

            Future<AppendResult> stale;
            Future<AppendResult> retry;
            Future<AppendResult> archived;
            List<Future<AppendResult>> neighbours = new ArrayList<>();
            try (Gate gate = new Gate(store, "gate")) {
                for (int i = 0; i < 5; i++) {
                    String stream = "new-" + i;
                    neighbours.add(executor.submit(() -> store.append(stream, ExpectedVersion.noStream(), EventData.of("Counted", "{}"))));
                }
                stale = executor.submit(() -> store.append("old", ExpectedVersion.exactly(1), EventData.of("Late", "{}")));
                retry = executor.submit(() -> store.append("retried", ExpectedVersion.noStream(), once));
                archived = executor.submit(() -> store.append("closed", ExpectedVersion.any(), EventData.of("Late", "{}")));
                await().atMost(Duration.ofSeconds(10)).until(() -> waiting() == 8);
                gate.release();
            }

            List<AppendResult> written = new ArrayList<>();
            for (Future<AppendResult> neighbour : neighbours) {
                written.add(neighbour.get(30, TimeUnit.SECONDS));
            }
            assertThat(written).allSatisfy(result -> assertThat(result.streamVersion()).isEqualTo(1));
            assertThat(written).extracting(result -> result.position().txId()).as("one transaction").containsOnly(written.get(0).position().txId());
            assertThat(failure(stale)).isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> assertThat(e.actual()).isEqualTo(2));
            assertThat(retry.get(30, TimeUnit.SECONDS).alreadyStored()).isTrue();
            assertThat(failure(archived)).isInstanceOf(StreamArchivedException.class);
            assertThat(store.readStream("retried")).hasSize(1);
            assertThat(store.readStream("old")).hasSize(2);
            assertThat(meters.get("keel.eventstore.group.commit.appends").summary().max()).isGreaterThanOrEqualTo(8);
        }
    }

    @Test
    void a_database_failure_of_one_append_fails_it_alone_not_the_others_of_its_transaction() throws Exception {
        try (PostgresEventStore store = oneAtATime("gc_poison")) {
            // a rule of the database the store cannot check beforehand
            db.execute("ALTER TABLE gc_poison.events ADD CONSTRAINT no_poison CHECK (payload->>'poison' IS NULL)");
            Future<AppendResult> poisoned;
            List<Future<AppendResult>> neighbours = new ArrayList<>();
            try (Gate gate = new Gate(store, "gate")) {
                for (int i = 0; i < 4; i++) {
                    String stream = "fine-" + i;
                    neighbours.add(executor.submit(() -> store.append(stream, ExpectedVersion.noStream(), EventData.of("Counted", "{}"))));
                }
                poisoned = executor.submit(() -> store.append("bad", ExpectedVersion.noStream(), EventData.of("Counted", "{\"poison\":true}")));
                await().atMost(Duration.ofSeconds(10)).until(() -> waiting() == 5);
                gate.release();
            }

            for (Future<AppendResult> neighbour : neighbours) {
                assertThat(neighbour.get(30, TimeUnit.SECONDS).streamVersion()).isEqualTo(1);
            }
            assertThat(failure(poisoned)).isInstanceOfSatisfying(SqlFailure.Permanent.class,
                    e -> assertThat(e.sqlState()).isEqualTo("23514"));
            assertThat(store.describe("bad").state()).isEqualTo(StreamInfo.StreamState.NO_STREAM);
        }
    }

    @Test
    void store_instances_of_different_processes_racing_for_one_stream_never_write_a_version_twice() throws Exception {
        try (PostgresEventStore first = PostgresEventStore.builder(db.dataSource()).schema("gc_race").build();
             PostgresEventStore second = PostgresEventStore.builder(db.dataSource()).schema("gc_race").build()) {
            int writers = 6;
            int appendsEach = 25;
            AtomicInteger conflicts = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                EventStore store = w % 2 == 0 ? first : second;
                futures.add(executor.submit(() -> {
                    for (int i = 0; i < appendsEach; i++) {
                        // half of them check the version, half append after whatever is there
                        if (i % 2 == 0) {
                            store.append("contested", ExpectedVersion.any(), EventData.of("Counted", "{}"));
                            continue;
                        }
                        while (true) {
                            long version = store.describe("contested").version();
                            try {
                                store.append("contested", ExpectedVersion.exactly(version), EventData.of("Counted", "{}"));
                                break;
                            } catch (WrongExpectedVersionException e) {
                                conflicts.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(2, TimeUnit.MINUTES);
            }

            List<RecordedEvent> stream = first.readStream("contested");
            assertThat(stream).extracting(RecordedEvent::streamVersion)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, writers * appendsEach).boxed().toList());
            assertThat(new HashSet<>(stream.stream().map(RecordedEvent::eventId).toList())).hasSize(writers * appendsEach);
            assertThat(conflicts.get()).as("the writers did get in each other's way").isPositive();
        }
    }

    @Test
    void an_append_whose_connection_is_killed_is_resolved_and_stored_exactly_once() throws Exception {
        try (PostgresEventStore store = oneAtATime("gc_killed")) {
            EventData event = EventData.of("Counted", "{}");
            Future<AppendResult> append;
            try (Connection holder = db.dataSource().getConnection()) {
                holder.setAutoCommit(false);
                try (PreparedStatement insert = holder.prepareStatement("INSERT INTO gc_killed.events"
                        + " (stream_id, stream_version, event_id, event_type, schema_version, payload, metadata)"
                        + " VALUES ('killed', 1, gen_random_uuid(), 'Holder', 1, '{}', '{}')")) {
                    insert.executeUpdate();
                }
                append = executor.submit(() -> store.append("killed", ExpectedVersion.noStream(), event));
                await().atMost(Duration.ofSeconds(10)).until(() -> backendsWaitingForLocks() == 1);
                int killed = terminateBackendsWaitingForLocks();
                assertThat(killed).isEqualTo(1);
                // the store comes back on a new connection, finds the event not stored, and tries again
                await().atMost(Duration.ofSeconds(10)).until(() -> backendsWaitingForLocks() == 1);
                holder.rollback();
            }

            AppendResult result = append.get(30, TimeUnit.SECONDS);
            assertThat(result.streamVersion()).isEqualTo(1);
            assertThat(store.readStream("killed")).extracting(RecordedEvent::eventId).containsExactly(event.eventId());
        }
    }

    private int terminateBackendsWaitingForLocks() throws SQLException {
        try (Connection connection = db.dataSource().getConnection();
             PreparedStatement kill = connection.prepareStatement("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
                     + " FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
             ResultSet row = kill.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }

    private static Throwable failure(Future<?> future) throws InterruptedException, java.util.concurrent.TimeoutException {
        try {
            future.get(30, TimeUnit.SECONDS);
            throw new AssertionError("expected the append to fail");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void concurrent_writers_share_transactions() throws Exception {
        try (PostgresEventStore store = PostgresEventStore.builder(db.dataSource()).schema("gc_shared").meterRegistry(meters).build()) {
            List<Future<List<AppendResult>>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                String stream = "writer-" + w + "-" + UUID.randomUUID();
                writers.add(executor.submit(() -> {
                    List<AppendResult> results = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        results.add(store.append(stream, ExpectedVersion.exactly(i), EventData.of("Counted", "{}")));
                    }
                    return results;
                }));
            }
            List<AppendResult> all = new ArrayList<>();
            for (Future<List<AppendResult>> writer : writers) {
                all.addAll(writer.get(2, TimeUnit.MINUTES));
            }
            long transactions = all.stream().map(result -> result.position().txId()).distinct().count();
            assertThat(all).hasSize(400);
            assertThat(transactions).as("400 appends in fewer transactions").isLessThan(400);
        }
    }
}
