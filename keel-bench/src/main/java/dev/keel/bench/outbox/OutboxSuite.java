package dev.keel.bench.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.bench.BenchContext;
import dev.keel.bench.Measure;
import dev.keel.bench.Result;
import dev.keel.bench.Suite;
import dev.keel.bench.limits.Limits;
import dev.keel.core.Message;
import dev.keel.core.Metadata;
import dev.keel.core.json.JsonCodec;
import dev.keel.embedded.Durability;
import dev.keel.messaging.CloudEventsBinary;
import dev.keel.messaging.kafka.KafkaTransport;
import dev.keel.messaging.spi.TransportSubscription;
import dev.keel.outbox.OutboxMessage;
import dev.keel.outbox.OutboxWriter;
import dev.keel.outbox.relay.OutboxRelay;
import dev.keel.outbox.relay.OutboxSource;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The transactional outbox against the limits it sits between.
 *
 * <ul>
 *   <li><b>Drain</b>: a backlog of a million outbox rows (fsync off, as the read limit it is compared
 *       with) published to Kafka by one relay and by two relays sharing 4 partitions, until every row is
 *       acknowledged and checkpointed; rows per second against the lower of the streaming-read and the
 *       async-produce limit. Default settings: batches of 1,000, published rows deleted (the pruner
 *       gives way to publishing while a partition drains).</li>
 *   <li><b>Latency</b>: one message per committed transaction at 1,000 transactions per second (durable
 *       PostgreSQL), from the commit returning to the consumer's handler, once the pipeline is live; p50
 *       and p99 against a raw Kafka producer and consumer doing the same at the same rate.</li>
 *   <li><b>Write cost</b>: a business transaction inserting one row, with and without its outbox row,
 *       on one thread, durable and with fsync off.</li>
 * </ul>
 */
public final class OutboxSuite implements Suite {

    private static final String SCHEMA = "bench";
    private static final int DRAIN_PARTITIONS = 4;
    private static final int KEYS = 1_000;
    private static final int RATE = 1_000;
    private static final JsonCodec JSON = JsonCodec.tolerant();

    @Override
    public String name() {
        return "outbox";
    }

    @Override
    public String description() {
        return "relay drain of a 1M-row backlog (1 and 2 relays), commit-to-consumer latency at 1,000 msgs/s, outbox write cost";
    }

    @Override
    public void run(BenchContext context) throws Exception {
        Limits limits = context.limits();
        Result read = limits.streamingRead(Durability.FAST);
        Result produce = limits.kafkaProduceAsync();
        Result lower = read.value() <= produce.value() ? read : produce;
        for (int relays = 1; relays <= 2; relays++) {
            double rate = drain(context, relays);
            context.recordAgainst("outbox.drain." + context.scale().count(1_000_000) + "-rows." + relays + "-relay"
                    + (relays == 1 ? "" : "s") + ".nofsync", rate, lower.unit(), lower);
        }
        latency(context);
        for (Durability durability : new Durability[] {Durability.DURABLE, Durability.FAST}) {
            writeCost(context, durability);
        }
    }

    // ---- drain

    private double drain(BenchContext context, int relays) throws Exception {
        int rows = context.scale().count(1_000_000);
        int warmups = context.scale().quick() ? 0 : 1;
        int iterations = context.scale().quick() ? 1 : 3;
        DataSource db = context.freshDatabase("outbox_drain_" + relays, Durability.FAST, 24);
        OutboxWriter.migrate(db, SCHEMA);
        OutboxRelay.migrate(db, SCHEMA);
        String topic = "bench-outbox-drain-" + relays;
        String relayName = "drain-" + relays;
        List<Double> rates = new ArrayList<>();
        try (KafkaTransport transport = KafkaTransport.builder(context.kafka().bootstrapServers()).topicPartitions(8).build()) {
            long target = 0;
            for (int i = 0; i < warmups + iterations; i++) {
                int backlog = i < warmups ? rows / 5 : rows;
                fill(db, topic, backlog, target);
                target += backlog;
                long start = System.nanoTime();
                List<OutboxRelay> running = new ArrayList<>();
                for (int r = 0; r < relays; r++) {
                    running.add(OutboxRelay.builder(db, transport, OutboxSource.of(SCHEMA)).name(relayName)
                            .partitions(DRAIN_PARTITIONS).leaseDuration(Duration.ofSeconds(1)).withoutMigration().start());
                }
                awaitPublished(db, relayName, target);
                double seconds = (System.nanoTime() - start) / 1e9;
                running.forEach(OutboxRelay::close);
                if (i >= warmups) {
                    rates.add(backlog / seconds);
                }
            }
        }
        return Measure.median(rates);
    }

    /** A backlog of rows as the writer makes them: 1,000 keys, ~300-byte payloads, CloudEvents headers. */
    private static void fill(DataSource db, String topic, int rows, long before) throws SQLException {
        String headers = JSON.toJson(Map.of("ce_source", "/bench/orders", "ce_time", "2026-11-23T10:15:30.123Z",
                "ce_correlationid", UUID.randomUUID().toString(), "ce_schemaversion", "1",
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        try (Connection connection = db.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + SCHEMA + ".outbox (id, aggregatetype, aggregateid, type, payload, headers, topic, sequence)"
                        + " SELECT gen_random_uuid(), 'Order', 'order-' || (n % " + KEYS + "), 'shop.order.OrderPlaced', ?::json, ?::json, ?,"
                        + " (? + n) / " + KEYS + " + 1 FROM generate_series(0, ? - 1) AS n")) {
            insert.setString(1, Limits.PAYLOAD);
            insert.setString(2, headers);
            insert.setString(3, topic);
            insert.setLong(4, before);
            insert.setInt(5, rows);
            insert.executeUpdate();
        }
        Limits.execute(db, "VACUUM ANALYZE " + SCHEMA + ".outbox");
    }

    private static void awaitPublished(DataSource db, String relay, long target) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        try (Connection connection = db.getConnection(); PreparedStatement published = connection.prepareStatement(
                "SELECT coalesce(sum(published), 0) FROM " + SCHEMA + ".relay_partitions WHERE relay = ?")) {
            published.setString(1, relay);
            while (true) {
                try (ResultSet row = published.executeQuery()) {
                    row.next();
                    if (row.getLong(1) >= target) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("relay " + relay + " did not publish " + target + " rows within 10 minutes");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    // ---- latency

    private void latency(BenchContext context) throws Exception {
        Duration warmup = context.scale().quick() ? Duration.ofMillis(200) : Duration.ofSeconds(5);
        Duration measured = context.scale().quick() ? Duration.ofSeconds(1) : Duration.ofSeconds(15);
        Histogram raw = rawKafkaLatency(context, warmup, measured);
        Histogram outbox = outboxLatency(context, warmup, measured);
        for (double percentile : new double[] {50, 99}) {
            String p = "p" + (int) percentile;
            Result limit = Result.limit("kafka.produce-to-consume." + p + "." + RATE + "-msgs-per-s", millis(raw, percentile), "ms");
            context.recordAgainst("outbox.commit-to-consumer." + p + "." + RATE + "-msgs-per-s.durable", millis(outbox, percentile), "ms", limit);
        }
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    /** One message per durable transaction, paced at {@link #RATE} per second; latency from commit to the consumer. */
    private static Histogram outboxLatency(BenchContext context, Duration warmup, Duration measured) throws Exception {
        DataSource db = context.freshDatabase("outbox_latency", Durability.DURABLE, 8);
        OutboxWriter.migrate(db, SCHEMA);
        String topic = "bench-outbox-latency";
        OutboxWriter writer = OutboxWriter.builder(SCHEMA).route("Order", topic).build();
        JsonNode payload = JSON.readTree(Limits.PAYLOAD);
        Map<UUID, Long> committedAt = new ConcurrentHashMap<>();
        Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        AtomicLong received = new AtomicLong();
        try (KafkaTransport transport = KafkaTransport.builder(context.kafka().bootstrapServers()).topicPartitions(8).build();
             OutboxRelay relay = OutboxRelay.builder(db, transport, OutboxSource.of(SCHEMA)).start();
             TransportSubscription consumer = transport.subscribe("bench-latency", Set.of(topic), record -> {
                 long now = System.nanoTime();
                 Long committed = committedAt.remove(CloudEventsBinary.decode(record).id().value());
                 if (committed != null) {
                     synchronized (histogram) {
                         histogram.recordValue(Math.max(0, (now - committed) / 1000));
                     }
                 }
                 received.incrementAndGet();
             })) {
            Clock clock = Clock.systemUTC();
            Paced write = (index, measuring) -> {
                UUID id;
                try (Connection connection = db.getConnection()) {
                    connection.setAutoCommit(false);
                    Message<JsonNode> message = new Message<>("shop.order.OrderPlaced", 1, payload, Metadata.newFlow(clock));
                    id = message.id().value();
                    writer.write(connection, new OutboxMessage("Order", "order-" + (index % KEYS), message));
                    connection.commit();
                }
                if (measuring.test(System.nanoTime())) {
                    committedAt.put(id, System.nanoTime());
                }
            };
            long probes = awaitLive(received, () -> write.send(-1, now -> false));
            long sent = pace(warmup.plus(measured), write, warmup);
            awaitCount(received, sent + probes);
        }
        return histogram;
    }

    /** A raw idempotent producer and a consumer at the same rate: the floor under the outbox's latency. */
    private static Histogram rawKafkaLatency(BenchContext context, Duration warmup, Duration measured) throws Exception {
        String topic = "bench-raw-latency";
        context.kafka().createTopics(8, List.of(topic));
        Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        Map<String, Object> producerProperties = context.limits().producerProperties();
        producerProperties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        Properties consumerProperties = new Properties();
        consumerProperties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, context.kafka().bootstrapServers());
        consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-raw-latency");
        consumerProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProperties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumerProperties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        byte[] value = Limits.PAYLOAD.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        AtomicBoolean consuming = new AtomicBoolean(true);
        AtomicLong received = new AtomicLong();
        Thread consumerThread = Thread.ofPlatform().name("bench-raw-consumer").start(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties)) {
                consumer.subscribe(List.of(topic));
                while (consuming.get()) {
                    consumer.poll(Duration.ofMillis(100)).forEach(record -> {
                        long now = System.nanoTime();
                        long sentAt = Long.parseLong(new String(record.key(), java.nio.charset.StandardCharsets.UTF_8).split(":")[1]);
                        if (sentAt > 0) {
                            synchronized (histogram) {
                                histogram.recordValue(Math.max(0, (now - sentAt) / 1000));
                            }
                        }
                        received.incrementAndGet();
                    });
                }
            }
        });
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties)) {
            Paced send = (index, measuring) -> {
                long now = System.nanoTime();
                String key = "key-" + Math.abs(index % KEYS) + ":" + (measuring.test(now) ? now : 0);
                producer.send(new ProducerRecord<>(topic, key.getBytes(java.nio.charset.StandardCharsets.UTF_8), value));
            };
            long probes = awaitLive(received, () -> {
                send.send(-1, now -> false);
                producer.flush();
            });
            long sent = pace(warmup.plus(measured), send, warmup);
            producer.flush();
            awaitCount(received, sent + probes);
        } finally {
            consuming.set(false);
            consumerThread.join(TimeUnit.SECONDS.toMillis(30));
        }
        return histogram;
    }

    private interface Paced {
        void send(long index, java.util.function.LongPredicate measuring) throws Exception;
    }

    /** Calls {@code send} {@link #RATE} times per second for {@code duration}; returns how often. */
    private static long pace(Duration duration, Paced send, Duration warmup) throws Exception {
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
        long count = duration.toNanos() / interval;
        for (long i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            send.send(i, now -> now >= measureFrom);
        }
        return count;
    }

    private interface Probe {
        void send() throws Exception;
    }

    /**
     * Sends probes until one arrives, so that nothing measured waits for a consumer group to form or a
     * producer to start; returns how many were sent.
     */
    private static long awaitLive(AtomicLong received, Probe probe) throws Exception {
        long probes = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (received.get() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no message made it through within 2 minutes");
            }
            probe.send();
            probes++;
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            while (received.get() == 0 && System.nanoTime() < until) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        }
        return probes;
    }

    private static void awaitCount(AtomicLong counter, long expected) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (counter.get() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("received " + counter.get() + " of " + expected + " messages");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    // ---- write cost

    private static void writeCost(BenchContext context, Durability durability) throws Exception {
        DataSource db = context.freshDatabase("outbox_write", durability, 2);
        OutboxWriter.migrate(db, SCHEMA);
        Limits.execute(db, "CREATE TABLE orders (id uuid PRIMARY KEY, customer text NOT NULL, total numeric NOT NULL,"
                + " placed_at timestamptz NOT NULL DEFAULT now())");
        OutboxWriter writer = OutboxWriter.builder(SCHEMA).route("Order", "shop.orders").build();
        JsonNode payload = JSON.readTree(Limits.PAYLOAD);
        Clock clock = Clock.systemUTC();
        String suffix = Limits.suffix(durability);
        double alone = context.measure().throughput(1, thread -> {
            try (Connection connection = db.getConnection()) {
                connection.setAutoCommit(false);
                insertOrder(connection, UUID.randomUUID());
                connection.commit();
            }
            return 1;
        });
        double withOutbox = context.measure().throughput(1, thread -> {
            try (Connection connection = db.getConnection()) {
                connection.setAutoCommit(false);
                UUID order = UUID.randomUUID();
                insertOrder(connection, order);
                writer.write(connection, new OutboxMessage("Order", order.toString(),
                        new Message<>("shop.order.OrderPlaced", 1, payload, Metadata.newFlow(clock))));
                connection.commit();
            }
            return 1;
        });
        Result baseline = Result.limit("pg.business-tx.1-row.1-thread." + suffix, alone, "tx/s");
        context.recordAgainst("outbox.business-tx.1-row-plus-outbox-row.1-thread." + suffix, withOutbox, "tx/s", baseline);
    }

    private static void insertOrder(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO orders (id, customer, total) VALUES (?, ?, 188.98)")) {
            insert.setObject(1, id);
            insert.setString(2, "customer-42");
            insert.executeUpdate();
        }
    }
}
