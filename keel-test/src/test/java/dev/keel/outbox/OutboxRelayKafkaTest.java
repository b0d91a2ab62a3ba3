package dev.keel.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.keel.messaging.Envelope;
import dev.keel.messaging.kafka.KafkaTransport;
import dev.keel.messaging.spi.PublisherFencedException;
import dev.keel.outbox.relay.EventStoreSource;
import dev.keel.outbox.relay.OutboxRelay;
import dev.keel.outbox.relay.OutboxSource;
import dev.keel.postgres.Migrations;
import dev.keel.test.TestDatabase;
import dev.keel.test.TestKafka;
import dev.keel.test.WithInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@WithInfrastructure
class OutboxRelayKafkaTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final TestDatabase db;
    private final TestKafka kafka;
    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    OutboxRelayKafkaTest(TestDatabase db, TestKafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    @Test
    void publishes_to_kafka_keyed_by_aggregate_with_cloudevents_headers_in_per_key_order() {
        OutboxFixture outbox = new OutboxFixture(db.dataSource(), "orders-" + run);
        KafkaTransport transport = closing(KafkaTransport.builder(kafka.bootstrapServers()).topicPartitions(3).build());
        closing(OutboxRelay.builder(db.dataSource(), transport, OutboxSource.of(outbox.schema)).partitions(2).start());

        outbox.writeMany(10, 4);

        Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey = new HashMap<>();
        Map<String, Object> properties = kafka.consumerProperties("raw-" + run);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(outbox.topic));
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record ->
                        byKey.computeIfAbsent(new String(record.key(), StandardCharsets.UTF_8), k -> new ArrayList<>()).add(record));
                return byKey.values().stream().mapToInt(List::size).sum() >= 40;
            });
        }
        assertThat(byKey).hasSize(4);
        byKey.forEach((key, records) -> {
            assertThat(records).extracting(record -> header(record, "ce_sequence"))
                    .containsExactly("0000000000000000001", "0000000000000000002", "0000000000000000003", "0000000000000000004",
                            "0000000000000000005", "0000000000000000006", "0000000000000000007", "0000000000000000008",
                            "0000000000000000009", "0000000000000000010");
            assertThat(records).extracting(ConsumerRecord::partition).as("one Kafka partition per key").containsOnly(records.get(0).partition());
            ConsumerRecord<byte[], byte[]> first = records.get(0);
            assertThat(header(first, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(first, "ce_subject")).isEqualTo(key);
            assertThat(header(first, "ce_type")).isEqualTo("test.OrderChanged");
            assertThat(header(first, "ce_source")).isEqualTo("/test/orders");
            assertThat(header(first, "ce_id")).isNotBlank();
            assertThat(header(first, "ce_time")).isNotBlank();
            assertThat(header(first, "ce_correlationid")).isNotBlank();
            assertThat(header(first, "traceparent")).startsWith("00-");
            assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
        });
    }

    /**
     * Relay A stops in the middle of a Kafka transaction (some records of its batch are in the broker's
     * log) and cannot reach the database, so its lease expires. Relay B takes the partition over: opening
     * its publisher fences A at the broker and aborts A's transaction. When A wakes up, its publish fails
     * as fenced, and consumers have seen every message once, in order, none of A's.
     */
    @Test
    void a_relay_frozen_in_the_middle_of_a_batch_is_fenced_and_its_records_never_reach_consumers() {
        OutboxFixture outbox = new OutboxFixture(db.dataSource(), "fenced-" + run);
        Received received = new Received();
        KafkaTransport readers = closing(KafkaTransport.builder(kafka.bootstrapServers()).topicPartitions(2).build());
        readers.subscribe("reader-" + run, Set.of(outbox.topic), received);

        HoldingInterceptor.arm(2);
        FreezableDataSource frozenDatabase = new FreezableDataSource(db.dataSource());
        ControlledTransport zombieTransport = new ControlledTransport(closing(KafkaTransport.builder(kafka.bootstrapServers())
                .topicPartitions(2).producerProperty(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, HoldingInterceptor.class.getName()).build()));
        OutboxRelay zombie = closing(OutboxRelay.builder(frozenDatabase, zombieTransport, OutboxSource.of(outbox.schema))
                .name("shared-" + run).leaseDuration(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(100)).start());
        outbox.writeMany(5, 1);
        awaitLatch(HoldingInterceptor.holding);
        frozenDatabase.freeze();

        KafkaTransport healthy = closing(KafkaTransport.builder(kafka.bootstrapServers()).topicPartitions(2).build());
        OutboxRelay successor = closing(OutboxRelay.builder(db.dataSource(), healthy, OutboxSource.of(outbox.schema))
                .name("shared-" + run).leaseDuration(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(100)).start());
        await().atMost(PATIENCE).until(() -> received.size() == 5);

        HoldingInterceptor.release.countDown();
        frozenDatabase.thaw();
        await().atMost(PATIENCE).until(() -> !zombieTransport.failures().isEmpty());
        assertThat(zombieTransport.failures().get(0)).isInstanceOf(PublisherFencedException.class);
        outbox.writeMany(2, 1);

        await().atMost(PATIENCE).until(() -> received.size() >= 7);
        assertThat(received.sequencesByKey()).isEqualTo(Map.of("key-0", List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L)));
        assertThat(received.distinct()).isEqualTo(received.size());
        assertThat(successor.ownedPartitions()).containsExactly(0);
        assertThat(zombie.ownedPartitions()).isEmpty();
    }

    @Test
    void publishes_an_event_store_table_as_its_outbox() throws SQLException {
        String schema = "events_" + run;
        Migrations.migrate(db.dataSource(), "test_eventstore", schema, "db/test/eventstore");
        String topic = "order-events-" + run;
        List<Envelope> received = new CopyOnWriteArrayList<>();
        KafkaTransport transport = closing(KafkaTransport.builder(kafka.bootstrapServers()).topicPartitions(2).build());
        transport.subscribe("reader-" + run, Set.of(topic), record -> received.add(dev.keel.messaging.CloudEventsBinary.decode(record)));
        EventStoreSource events = EventStoreSource.builder(schema).topic(topic).source("/shop/orders").build();
        closing(OutboxRelay.builder(db.dataSource(), transport, events).partitions(2).schema(schema).start());

        appendEvents(schema, "order-1", 1, 3);
        appendEvents(schema, "order-2", 1, 2);
        appendEvents(schema, "order-1", 4, 4);

        await().atMost(PATIENCE).until(() -> received.size() == 6);
        Map<String, List<Long>> versions = new HashMap<>();
        received.forEach(envelope -> versions.computeIfAbsent(envelope.key(), k -> new ArrayList<>()).add(envelope.sequence().orElseThrow()));
        assertThat(versions).isEqualTo(Map.of("order-1", List.of(1L, 2L, 3L, 4L), "order-2", List.of(1L, 2L)));
        Envelope first = received.stream().filter(e -> e.key().equals("order-1")).findFirst().orElseThrow();
        assertThat(first.type()).isEqualTo("shop.order.OrderChanged");
        assertThat(first.source()).isEqualTo("/shop/orders");
        assertThat(first.message().schemaVersion()).isEqualTo(2);
        assertThat(first.message().correlationId().value()).isEqualTo("flow-order-1");
        assertThat(first.message().metadata().attribute("tenant")).contains("acme");
        assertThat(first.message().metadata().trace()).isPresent();
        assertThat(first.payloadJson()).isEqualTo("{\"version\": 1}");
        assertThat(new OutboxFixture(db.dataSource(), topic).count("SELECT count(*) FROM " + schema + ".events"))
                .as("an event store is never pruned").isEqualTo(6);
    }

    // ---- helpers

    private void appendEvents(String schema, String stream, int fromVersion, int toVersion) throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + schema + ".events"
                    + " (stream_id, stream_version, event_id, event_type, schema_version, payload, metadata)"
                    + " VALUES (?, ?, ?, 'shop.order.OrderChanged', 2, ?::jsonb, ?::jsonb)")) {
                for (int version = fromVersion; version <= toVersion; version++) {
                    insert.setString(1, stream);
                    insert.setLong(2, version);
                    insert.setObject(3, UUID.randomUUID());
                    insert.setString(4, "{\"version\": " + version + "}");
                    insert.setString(5, "{\"correlationId\": \"flow-" + stream + "\", \"traceParent\": "
                            + "\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\", \"attributes\": {\"tenant\": \"acme\"}}");
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void awaitLatch(java.util.concurrent.CountDownLatch latch) {
        try {
            assertThat(latch.await(60, TimeUnit.SECONDS)).as("latch reached").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeAfter.add(closeable);
        return closeable;
    }
}
