package dev.keel.bench.eventstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import dev.keel.bench.BenchContext;
import dev.keel.bench.Result;
import dev.keel.bench.Suite;
import dev.keel.bench.limits.Limits;
import dev.keel.core.Uuids;
import dev.keel.embedded.Durability;
import dev.keel.eventstore.AppendResult;
import dev.keel.eventstore.EventData;
import dev.keel.eventstore.ExpectedVersion;
import dev.keel.eventstore.RecordedEvent;
import dev.keel.eventstore.StreamRead;
import dev.keel.eventstore.Subscription;
import dev.keel.eventstore.SubscriptionOptions;
import dev.keel.eventstore.postgres.PostgresEventStore;
import org.HdrHistogram.Histogram;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The PostgreSQL event store against the raw JDBC limits of the same run, for both durability
 * settings: single-event appends by 1 and 8 writers (group commit), 100-event appends, reading one
 * 100-event stream, catching up a subscription over a million events, and the latency from an
 * append's commit to a subscriber's handler at 1,000 events/s (against a raw {@code NOTIFY}'s).
 */
public final class EventStoreSuite implements Suite {

    @Override
    public String name() {
        return "eventstore";
    }

    @Override
    public String description() {
        return "event store appends (group commit), stream reads, catch-up and commit-to-subscriber latency vs raw JDBC";
    }

    @Override
    public void run(BenchContext context) throws Exception {
        for (Durability durability : new Durability[] {Durability.DURABLE, Durability.FAST}) {
            String suffix = Limits.suffix(durability);
            Limits limits = context.limits();
            context.recordAgainst("eventstore.append.1-writer." + suffix, singleEventAppends(context, durability, 1),
                    "rows/s", limits.rowPerTransactionInserts(1, durability));
            context.recordAgainst("eventstore.append.8-writers." + suffix, singleEventAppends(context, durability, 8),
                    "rows/s", limits.rowPerTransactionInserts(8, durability));
            context.recordAgainst("eventstore.append.batch-100.1-writer." + suffix, batchAppends(context, durability, 100),
                    "rows/s", limits.batchedInserts(1, 100, durability));
            ReadStore reads = readStore(context, durability);
            context.recordAgainst("eventstore.read.one-100-event-stream." + suffix, readOneStream(context, reads),
                    "streams/s", limits.readOneStream(durability));
            context.recordAgainst("eventstore.subscription.catch-up-" + reads.events() + "-events." + suffix,
                    catchUp(context, reads), "rows/s", limits.streamingRead(durability));
            latency(context, durability);
        }
    }

    private static EventData event() {
        return new EventData(Uuids.timeOrdered(), "OrderPlaced", 1, Limits.PAYLOAD, Limits.METADATA);
    }

    private static PostgresEventStore store(DataSource db) {
        return PostgresEventStore.builder(db).schema("bench").build();
    }

    /** Events per second appended one per append by {@code writers} threads, each to streams of its own. */
    private static double singleEventAppends(BenchContext context, Durability durability, int writers) throws Exception {
        DataSource db = context.freshDatabase("es_append_" + writers, durability, writers + 4);
        try (PostgresEventStore store = store(db)) {
            long[] versions = new long[writers];
            String[] streams = new String[writers];
            AtomicLong streamCounter = new AtomicLong();
            for (int t = 0; t < writers; t++) {
                streams[t] = "order-" + streamCounter.incrementAndGet();
            }
            return context.measure().throughput(writers, thread -> {
                if (versions[thread] == 1_000) {
                    streams[thread] = "order-" + streamCounter.incrementAndGet();
                    versions[thread] = 0;
                }
                AppendResult result = store.append(streams[thread], ExpectedVersion.exactly(versions[thread]), event());
                versions[thread] = result.streamVersion();
                return 1;
            });
        }
    }

    /** Events per second appended in appends of {@code size} events to new streams, one writer. */
    private static double batchAppends(BenchContext context, Durability durability, int size) throws Exception {
        DataSource db = context.freshDatabase("es_batch", durability, 4);
        try (PostgresEventStore store = store(db)) {
            AtomicLong streamCounter = new AtomicLong();
            return context.measure().throughput(1, thread -> {
                List<EventData> events = new java.util.ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    events.add(event());
                }
                store.append("order-" + streamCounter.incrementAndGet(), ExpectedVersion.noStream(), events);
                return size;
            });
        }
    }

    private record ReadStore(DataSource db, int events, int streams) {
    }

    /** A store filled like the limits' read table: 100-event streams, a million events in all. */
    private static ReadStore readStore(BenchContext context, Durability durability) throws SQLException {
        DataSource db = context.freshDatabase("es_read", durability, 8);
        store(db).close();
        int events = context.scale().streamingReadRows();
        Limits.execute(db, "INSERT INTO bench.events (stream_id, stream_version, event_id, event_type, schema_version, payload, metadata)"
                + " SELECT 'read-' || (n / 100), n % 100 + 1, gen_random_uuid(), 'OrderPlaced', 1, '" + Limits.PAYLOAD + "'::jsonb,"
                + " '" + Limits.METADATA + "'::jsonb FROM generate_series(0, " + (events - 1) + ") AS n");
        Limits.execute(db, "VACUUM ANALYZE bench.events");
        return new ReadStore(db, events, events / 100);
    }

    private static double readOneStream(BenchContext context, ReadStore reads) throws Exception {
        try (PostgresEventStore store = PostgresEventStore.builder(reads.db()).schema("bench").migrate(false).build()) {
            return context.measure().throughput(1, thread -> {
                String stream = "read-" + java.util.concurrent.ThreadLocalRandom.current().nextInt(reads.streams());
                List<RecordedEvent> events = store.readStream(stream, StreamRead.forwards());
                if (events.size() != 100) {
                    throw new IllegalStateException(stream + " has " + events.size() + " events, expected 100");
                }
                return 1;
            });
        }
    }

    /** Events per second delivered by a subscription catching up from the start of the log. */
    private static double catchUp(BenchContext context, ReadStore reads) throws Exception {
        try (PostgresEventStore store = PostgresEventStore.builder(reads.db()).schema("bench").migrate(false).build()) {
            return context.measure().rateOfWhole(() -> {
                LongAdder delivered = new LongAdder();
                try (Subscription ignored = store.subscribe(SubscriptionOptions.fromStart().batchSize(5_000).bufferSize(20_000),
                        event -> delivered.increment())) {
                    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                    while (delivered.sum() < reads.events() && System.nanoTime() < deadline) {
                        LockSupport.parkNanos(200_000);
                    }
                }
                if (delivered.sum() < reads.events()) {
                    throw new IllegalStateException("caught up with " + delivered.sum() + " of " + reads.events() + " events");
                }
                return delivered.sum();
            });
        }
    }

    /**
     * Commit-to-handler latency at 1,000 events/s: a writer appends one event per millisecond; a
     * subscriber in the same process and one in another store instance (woken only by {@code NOTIFY})
     * take the time they see each event. The raw limit: the same rate of one-row transactions whose
     * trigger notifies a plain JDBC listener.
     */
    private static void latency(BenchContext context, Durability durability) throws Exception {
        String suffix = Limits.suffix(durability);
        int events = context.scale().quick() ? 300 : 6_000;
        int warmup = context.scale().quick() ? 0 : 1_000;
        DataSource db = context.freshDatabase("es_latency", durability, 12);
        Histogram raw = rawNotifyLatency(db, events, warmup);
        Result rawP50 = Result.limit("pg.notify.commit-to-listener.p50." + suffix, millis(raw, 50), "ms");
        Result rawP99 = Result.limit("pg.notify.commit-to-listener.p99." + suffix, millis(raw, 99), "ms");

        Map<java.util.UUID, Long> committedAt = new ConcurrentHashMap<>();
        Histogram sameProcess = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Histogram otherProcess = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        AtomicLong seen = new AtomicLong();
        try (PostgresEventStore writer = store(db);
             PostgresEventStore elsewhere = PostgresEventStore.builder(db).schema("bench").migrate(false).build();
             Subscription local = writer.subscribe(SubscriptionOptions.fromHead().pollInterval(Duration.ofSeconds(5)),
                     event -> record(sameProcess, committedAt, event, warmup));
             Subscription remote = elsewhere.subscribe(SubscriptionOptions.fromHead().pollInterval(Duration.ofSeconds(5)),
                     event -> {
                         record(otherProcess, committedAt, event, warmup);
                         seen.incrementAndGet();
                     })) {
            long interval = TimeUnit.MILLISECONDS.toNanos(1);
            long next = System.nanoTime();
            for (int i = 0; i < warmup + events; i++) {
                LockSupport.parkNanos(next - System.nanoTime());
                next += interval;
                EventData event = new EventData(Uuids.timeOrdered(), "Tick", 1, "{\"i\":" + i + "}", "{}");
                writer.append("tick-" + (i % 50), ExpectedVersion.any(), event);
                committedAt.put(event.eventId(), System.nanoTime());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seen.get() < warmup + events && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
        }
        context.recordAgainst("eventstore.subscription.latency.same-process.p50." + suffix, millis(sameProcess, 50), "ms", rawP50);
        context.recordAgainst("eventstore.subscription.latency.same-process.p99." + suffix, millis(sameProcess, 99), "ms", rawP99);
        context.recordAgainst("eventstore.subscription.latency.other-process.p50." + suffix, millis(otherProcess, 50), "ms", rawP50);
        context.recordAgainst("eventstore.subscription.latency.other-process.p99." + suffix, millis(otherProcess, 99), "ms", rawP99);
    }

    private static void record(Histogram histogram, Map<java.util.UUID, Long> committedAt, RecordedEvent event, int warmup) {
        long now = System.nanoTime();
        Long committed = committedAt.get(event.eventId());
        int i = Integer.parseInt(event.payload().replaceAll("\\D", ""));
        if (i < warmup) {
            return;
        }
        // delivered before the writer even got its answer: no measurable delay
        histogram.recordValue(committed == null ? 0 : Math.max(0, now - committed));
    }

    private static Histogram rawNotifyLatency(DataSource db, int events, int warmup) throws Exception {
        Limits.execute(db, "CREATE TABLE raw_ticks (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb NOT NULL)");
        Limits.execute(db, "CREATE FUNCTION raw_ticks_notify() RETURNS trigger LANGUAGE plpgsql AS $$"
                + " BEGIN PERFORM pg_notify('raw_ticks', ''); RETURN NULL; END $$");
        Limits.execute(db, "CREATE TRIGGER raw_ticks_notify AFTER INSERT ON raw_ticks FOR EACH STATEMENT EXECUTE FUNCTION raw_ticks_notify()");
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        java.util.concurrent.atomic.AtomicLongArray committedAt = new java.util.concurrent.atomic.AtomicLongArray(warmup + events);
        AtomicLong received = new AtomicLong();
        try (Connection listener = db.getConnection(); Connection writer = db.getConnection()) {
            try (Statement listen = listener.createStatement()) {
                listen.execute("LISTEN raw_ticks");
            }
            Thread listening = Thread.ofPlatform().daemon().start(() -> {
                PGConnection pg;
                try {
                    pg = listener.unwrap(PGConnection.class);
                    while (received.get() < warmup + events) {
                        PGNotification[] notifications = pg.getNotifications(100);
                        long now = System.nanoTime();
                        if (notifications != null) {
                            for (int n = 0; n < notifications.length; n++) {
                                long i = received.getAndIncrement();
                                if (i >= warmup && i < committedAt.length()) {
                                    long committed = committedAt.get((int) i);
                                    // notified before the writer even got its answer: no measurable delay
                                    histogram.recordValue(committed == 0 ? 0 : Math.max(0, now - committed));
                                }
                            }
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            long interval = TimeUnit.MILLISECONDS.toNanos(1);
            long next = System.nanoTime();
            try (PreparedStatement insert = writer.prepareStatement("INSERT INTO raw_ticks (payload) VALUES (?::jsonb)")) {
                for (int i = 0; i < warmup + events; i++) {
                    LockSupport.parkNanos(next - System.nanoTime());
                    next += interval;
                    insert.setString(1, "{\"i\":" + i + "}");
                    insert.executeUpdate();
                    committedAt.set(i, System.nanoTime());
                }
            }
            listening.join(Duration.ofSeconds(30));
        }
        return histogram;
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1e6;
    }
}
