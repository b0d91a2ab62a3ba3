package dev.keel.bench.limits;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import dev.keel.bench.BenchContext;
import dev.keel.bench.Result;
import dev.keel.embedded.Durability;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The physical limits every Keel figure is compared with: what raw JDBC and a raw Kafka client reach
 * on this machine, in this run, doing the same shape of work without Keel. Each is measured at most
 * once per run, when a suite first asks for it.
 *
 * <p>The PostgreSQL table has the shape of an event store's ({@link #EVENT_TABLE}): identity position,
 * stream id and version (unique), event id (unique), type, {@code jsonb} payload (~300 bytes) and
 * metadata. Writers use pgjdbc with {@code reWriteBatchedInserts=true}.
 */
public final class Limits {

    public static final String EVENT_TABLE = """
            CREATE TABLE IF NOT EXISTS raw_events (
                position       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                stream_id      text        NOT NULL,
                stream_version int         NOT NULL,
                event_id       uuid        NOT NULL UNIQUE,
                event_type     text        NOT NULL,
                payload        jsonb       NOT NULL,
                metadata       jsonb       NOT NULL,
                recorded_at    timestamptz NOT NULL DEFAULT now(),
                UNIQUE (stream_id, stream_version)
            )""";

    private static final String INSERT = "INSERT INTO raw_events (stream_id, stream_version, event_id, event_type, payload, metadata)"
            + " VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb)";

    /** A realistic event body of about 300 bytes. */
    public static final String PAYLOAD = """
            {"orderId":"0193a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d","customerId":"0193a3c4-0000-7000-8000-00000000002a",\
            "lines":[{"sku":"SKU-10042","quantity":2,"unitPrice":19.99},{"sku":"SKU-20077","quantity":1,"unitPrice":149.00}],\
            "total":188.98,"currency":"EUR","placedAt":"2026-11-23T10:15:30.123Z","channel":"web"}""";

    public static final String METADATA = """
            {"correlationId":"0193a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d","traceParent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}""";

    private final BenchContext context;
    private final Map<String, Result> measured = new HashMap<>();
    private final Map<Durability, DataSource> readTables = new HashMap<>();
    private final AtomicLong streams = new AtomicLong();

    public Limits(BenchContext context) {
        this.context = context;
    }

    public static String suffix(Durability durability) {
        return durability == Durability.DURABLE ? "durable" : "nofsync";
    }

    /** Rows per second, one row per transaction (autocommit), on {@code threads} threads. */
    public synchronized Result rowPerTransactionInserts(int threads, Durability durability) throws Exception {
        String name = "pg.insert.row-per-tx." + threads + "-thread" + (threads == 1 ? "" : "s") + "." + suffix(durability);
        Result known = measured.get(name);
        if (known != null) {
            return known;
        }
        DataSource db = context.freshDatabase("limits_row_tx", durability, threads);
        execute(db, EVENT_TABLE);
        long[] versions = new long[threads];
        String[] streamIds = new String[threads];
        for (int t = 0; t < threads; t++) {
            streamIds[t] = "stream-" + streams.incrementAndGet();
        }
        double rate = context.measure().throughput(threads, thread -> {
            try (Connection connection = db.getConnection(); PreparedStatement insert = connection.prepareStatement(INSERT)) {
                bind(insert, streamIds[thread], (int) ++versions[thread]);
                insert.executeUpdate();
            }
            return 1;
        });
        return remember(Result.limit(name, rate, "rows/s"));
    }

    /** Rows per second in transactions of {@code batchSize} rows (one batched statement each). */
    public synchronized Result batchedInserts(int threads, int batchSize, Durability durability) throws Exception {
        String name = "pg.insert.batch-" + batchSize + "." + threads + "-thread" + (threads == 1 ? "" : "s") + "." + suffix(durability);
        Result known = measured.get(name);
        if (known != null) {
            return known;
        }
        DataSource db = context.freshDatabase("limits_batch", durability, threads);
        execute(db, EVENT_TABLE);
        double rate = context.measure().throughput(threads, thread -> {
            String streamId = "stream-" + streams.incrementAndGet();
            try (Connection connection = db.getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    for (int v = 1; v <= batchSize; v++) {
                        bind(insert, streamId, v);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                connection.commit();
            }
            return batchSize;
        });
        return remember(Result.limit(name, rate, "rows/s"));
    }

    /** Rows per second reading a large table in position order through a cursor (fetch size 5,000). */
    public synchronized Result streamingRead(Durability durability) throws Exception {
        String name = "pg.read.streaming-" + context.scale().streamingReadRows() + "-rows." + suffix(durability);
        Result known = measured.get(name);
        if (known != null) {
            return known;
        }
        DataSource db = readTable(durability);
        double rate = context.measure().rateOfWhole(() -> {
            long rows = 0;
            try (Connection connection = db.getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT position, stream_id, stream_version, event_id, event_type, payload, metadata, recorded_at"
                                + " FROM raw_events ORDER BY position")) {
                    select.setFetchSize(5_000);
                    try (ResultSet result = select.executeQuery()) {
                        while (result.next()) {
                            consume(result);
                            rows++;
                        }
                    }
                }
                connection.commit();
            }
            return rows;
        });
        return remember(Result.limit(name, rate, "rows/s"));
    }

    /** Streams per second reading one 100-row stream by its key, in version order. */
    public synchronized Result readOneStream(Durability durability) throws Exception {
        String name = "pg.read.one-100-row-stream." + suffix(durability);
        Result known = measured.get(name);
        if (known != null) {
            return known;
        }
        DataSource db = readTable(durability);
        int streamCount = context.scale().streamingReadRows() / 100;
        double rate = context.measure().throughput(1, thread -> {
            String streamId = "read-" + ThreadLocalRandom.current().nextInt(streamCount);
            int rows = 0;
            try (Connection connection = db.getConnection();
                 PreparedStatement select = connection.prepareStatement(
                         "SELECT position, stream_id, stream_version, event_id, event_type, payload, metadata, recorded_at"
                                 + " FROM raw_events WHERE stream_id = ? ORDER BY stream_version")) {
                select.setString(1, streamId);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        consume(result);
                        rows++;
                    }
                }
            }
            if (rows != 100) {
                throw new IllegalStateException("stream " + streamId + " has " + rows + " rows, expected 100");
            }
            return 1;
        });
        return remember(Result.limit(name, rate, "streams/s"));
    }

    /** Messages per second produced asynchronously (acks=all, idempotent) to an 8-partition topic. */
    public synchronized Result kafkaProduceAsync() throws Exception {
        String name = "kafka.produce.async.8-partitions";
        Result known = measured.get(name);
        if (known != null) {
            return known;
        }
        String topic = "limits-produce-async";
        context.kafka().createTopics(8, List.of(topic));
        byte[] value = PAYLOAD.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties())) {
            double rate = context.measure().rateOfWhole(() -> {
                LongAdder acked = new LongAdder();
                long end = System.nanoTime() + context.measure().iterationTime().toNanos();
                long sent = 0;
                while (System.nanoTime() < end) {
                    producer.send(new ProducerRecord<>(topic, key(sent), value), (metadata, error) -> {
                        if (error == null) {
                            acked.increment();
                        }
                    });
                    sent++;
                }
                producer.flush();
                if (acked.sum() != sent) {
                    throw new IllegalStateException("only " + acked.sum() + " of " + sent + " sends acknowledged");
                }
                return sent;
            });
            return remember(Result.limit(name, rate, "msgs/s"));
        }
    }

    /** Messages per second produced one at a time, each waiting for its acknowledgement. */
    public synchronized Result kafkaProduceSync() throws Exception {
        String name = "kafka.produce.sync.8-partitions";
        Result known = measured.get(name);
        if (known != null) {
            return known;
        }
        String topic = "limits-produce-sync";
        context.kafka().createTopics(8, List.of(topic));
        byte[] value = PAYLOAD.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        AtomicLong counter = new AtomicLong();
        Map<String, Object> properties = producerProperties();
        // waiting for each acknowledgement: lingering for company only adds latency
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties)) {
            double rate = context.measure().throughput(1, thread -> {
                producer.send(new ProducerRecord<>(topic, key(counter.incrementAndGet()), value)).get();
                return 1;
            });
            return remember(Result.limit(name, rate, "msgs/s"));
        }
    }

    /** Messages per second consumed from an 8-partition topic by one consumer, from the start. */
    public synchronized Result kafkaConsume() throws Exception {
        String name = "kafka.consume.8-partitions";
        Result known = measured.get(name);
        if (known != null) {
            return known;
        }
        String topic = "limits-consume";
        int messages = context.scale().kafkaConsumeMessages();
        context.kafka().createTopics(8, List.of(topic));
        byte[] value = PAYLOAD.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties())) {
            java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
            for (int i = 0; i < messages; i++) {
                producer.send(new ProducerRecord<>(topic, key(i), value), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
            }
            producer.flush();
            if (failure.get() != null) {
                throw new IllegalStateException("could not fill topic " + topic, failure.get());
            }
        }
        AtomicLong group = new AtomicLong();
        double rate = context.measure().rateOfWhole(() -> {
            Properties properties = new Properties();
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, context.kafka().bootstrapServers());
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, "limits-consume-" + group.incrementAndGet());
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
            properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            long received = 0;
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
                consumer.subscribe(List.of(topic));
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (received < messages && System.nanoTime() < deadline) {
                    received += consumer.poll(Duration.ofMillis(100)).count();
                }
            }
            if (received < messages) {
                throw new IllegalStateException("consumed " + received + " of " + messages);
            }
            return received;
        });
        return remember(Result.limit(name, rate, "msgs/s"));
    }

    /** Producer settings of the raw limit: acks=all, idempotent, Kafka's default batching. */
    public Map<String, Object> producerProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, context.kafka().bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return properties;
    }

    private static byte[] key(long n) {
        return ("key-" + (n % 1000)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private DataSource readTable(Durability durability) throws SQLException {
        DataSource existing = readTables.get(durability);
        if (existing != null) {
            return existing;
        }
        DataSource db = context.freshDatabase("limits_read", durability, 2);
        int rows = context.scale().streamingReadRows();
        execute(db, EVENT_TABLE);
        // 100 rows per stream, so the same table serves the one-stream read
        execute(db, "INSERT INTO raw_events (stream_id, stream_version, event_id, event_type, payload, metadata)"
                + " SELECT 'read-' || (n / 100), n % 100 + 1, gen_random_uuid(), 'OrderPlaced', '" + PAYLOAD + "'::jsonb,"
                + " '" + METADATA + "'::jsonb FROM generate_series(0, " + (rows - 1) + ") AS n");
        execute(db, "VACUUM ANALYZE raw_events");
        readTables.put(durability, db);
        return db;
    }

    /** Reads every column the way a store would, so the limit includes decoding the row. */
    public static void consume(ResultSet result) throws SQLException {
        result.getLong(1);
        result.getString(2);
        result.getInt(3);
        result.getObject(4, UUID.class);
        result.getString(5);
        result.getString(6);
        result.getString(7);
        result.getObject(8, java.time.OffsetDateTime.class);
    }

    /** Binds one event row to {@link #INSERT}'s parameters. */
    public static void bind(PreparedStatement insert, String streamId, int version) throws SQLException {
        insert.setString(1, streamId);
        insert.setInt(2, version);
        insert.setObject(3, UUID.randomUUID());
        insert.setString(4, "OrderPlaced");
        insert.setString(5, PAYLOAD);
        insert.setString(6, METADATA);
    }

    public static void execute(DataSource db, String sql) throws SQLException {
        try (Connection connection = db.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private Result remember(Result result) {
        measured.put(result.name(), result);
        return result;
    }
}
