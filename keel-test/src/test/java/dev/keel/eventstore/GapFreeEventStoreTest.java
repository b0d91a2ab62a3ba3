package dev.keel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import dev.keel.eventstore.postgres.PostgresEventStore;
import dev.keel.postgres.LogPosition;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The proof of the event store's global order: writers append concurrently — some through group
 * commit, some in transactions of their own that commit after a random delay or roll back — while
 * readers follow the log from the start, by reading and by subscribing. Every reader must see every
 * committed event exactly once, each stream's events in version order and without holes, and never an
 * event of a rolled-back transaction. Several rounds.
 */
@WithInfrastructure
class GapFreeEventStoreTest {

    private static PostgresEventStore store;
    private final TestDatabase db;

    GapFreeEventStoreTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    static void open(TestDatabase db) {
        store = PostgresEventStore.builder(db.dataSource()).schema("gapfree").build();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @RepeatedTest(5)
    void concurrent_appends_with_late_commits_and_rollbacks_reach_every_reader_once_in_order() throws Exception {
        String round = "r" + UUID.randomUUID().toString().substring(0, 8);
        EventFilter thisRound = EventFilter.category(round);
        LogPosition start = store.head().orElse(LogPosition.START);
        int transactionalWriters = 3;
        int groupCommitWriters = 3;
        int appendsPerWriter = 30;
        Set<UUID> committed = ConcurrentHashMap.newKeySet();
        Set<UUID> rolledBack = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<RecordedEvent> subscribed = new CopyOnWriteArrayList<>();
        ExecutorService executor = Executors.newFixedThreadPool(transactionalWriters + groupCommitWriters + 2);
        try (Subscription subscription = store.subscribe(SubscriptionOptions.after(start).filter(thisRound).batchSize(5).bufferSize(12),
                subscribed::add)) {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < transactionalWriters; w++) {
                String stream = round + "-tx" + w;
                writers.add(executor.submit(() -> transactionalWriter(stream, appendsPerWriter, committed, rolledBack)));
            }
            for (int w = 0; w < groupCommitWriters; w++) {
                String stream = round + "-gc" + w;
                writers.add(executor.submit(() -> groupCommitWriter(stream, round + "-shared", appendsPerWriter, committed)));
            }
            List<Future<List<RecordedEvent>>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(executor.submit(() -> follow(start, thisRound, writing)));
            }
            for (Future<?> writer : writers) {
                writer.get(2, TimeUnit.MINUTES);
            }
            writing.set(false);

            for (Future<List<RecordedEvent>> reader : readers) {
                assertSeenOnceInOrder(reader.get(2, TimeUnit.MINUTES), committed, rolledBack);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> subscribed.size() >= committed.size());
            assertSeenOnceInOrder(List.copyOf(subscribed), committed, rolledBack);
            assertThat(subscription.state()).isIn(Subscription.State.LIVE, Subscription.State.CATCHING_UP);
        } finally {
            executor.shutdownNow();
        }
        assertThat(rolledBack).as("the round rolled some transactions back").isNotEmpty();
    }

    private Void transactionalWriter(String stream, int appends, Set<UUID> committed, Set<UUID> rolledBack) throws Exception {
        long version = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < appends; i++) {
            List<EventData> events = new ArrayList<>();
            for (int e = 0, n = 1 + random.nextInt(3); e < n; e++) {
                events.add(EventData.of("Written", "{\"stream\":\"" + stream + "\"}"));
            }
            try (Connection connection = db.dataSource().getConnection()) {
                connection.setAutoCommit(false);
                AppendResult result = store.appendWithin(connection, stream, ExpectedVersion.exactly(version), events);
                // commit late: later transactions commit first and take their positions ahead of ours
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(random.nextInt(3_000)));
                if (random.nextInt(5) == 0) {
                    connection.rollback();
                    events.forEach(event -> rolledBack.add(event.eventId()));
                } else {
                    connection.commit();
                    version = result.streamVersion();
                    events.forEach(event -> committed.add(event.eventId()));
                }
            }
        }
        return null;
    }

    private Void groupCommitWriter(String stream, String shared, int appends, Set<UUID> committed) {
        long version = 0;
        for (int i = 0; i < appends; i++) {
            EventData own = EventData.of("Written", "{\"stream\":\"" + stream + "\"}");
            version = store.append(stream, ExpectedVersion.exactly(version), own).streamVersion();
            committed.add(own.eventId());
            if (i % 3 == 0) {
                EventData common = EventData.of("Written", "{\"stream\":\"" + shared + "\"}");
                store.append(shared, ExpectedVersion.any(), common);
                committed.add(common.eventId());
            }
        }
        return null;
    }

    private List<RecordedEvent> follow(LogPosition start, EventFilter filter, AtomicBoolean writing) {
        List<RecordedEvent> seen = new ArrayList<>();
        LogPosition after = start;
        while (true) {
            boolean lastRound = !writing.get();
            List<RecordedEvent> batch = store.readAll(after, filter, 7);
            if (!batch.isEmpty()) {
                seen.addAll(batch);
                after = batch.get(batch.size() - 1).position();
            } else if (lastRound) {
                return seen;
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private static void assertSeenOnceInOrder(List<RecordedEvent> seen, Set<UUID> committed, Set<UUID> rolledBack) {
        List<UUID> ids = seen.stream().map(RecordedEvent::eventId).toList();
        assertThat(new HashSet<>(ids)).as("no event twice").hasSize(ids.size());
        assertThat(new HashSet<>(ids)).as("exactly the committed events").isEqualTo(committed);
        assertThat(ids).as("no rolled-back event").doesNotContainAnyElementsOf(rolledBack);
        assertThat(seen).extracting(RecordedEvent::position).as("log order").isSorted();
        Map<String, Long> lastVersion = new HashMap<>();
        for (RecordedEvent event : seen) {
            long previous = lastVersion.getOrDefault(event.streamId(), 0L);
            assertThat(event.streamVersion()).as("%s continues without a hole", event.streamId()).isEqualTo(previous + 1);
            lastVersion.put(event.streamId(), event.streamVersion());
        }
    }
}
