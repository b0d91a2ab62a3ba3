package dev.keel.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.keel.core.NonTransientException;
import dev.keel.core.TransientException;
import dev.keel.messaging.Envelope;
import dev.keel.messaging.memory.InMemoryTransport;
import dev.keel.outbox.relay.OutboxRelay;
import dev.keel.outbox.relay.OutboxSource;
import dev.keel.outbox.relay.Retention;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithInfrastructure
class OutboxRelayTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final TestDatabase db;
    private final InMemoryTransport memory = InMemoryTransport.create();
    private final List<OutboxRelay> relays = new ArrayList<>();
    private final String topic = "orders-" + UUID.randomUUID().toString().substring(0, 8);
    private final Received received = new Received();
    private OutboxFixture outbox;

    OutboxRelayTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void setUp() {
        outbox = new OutboxFixture(db.dataSource(), topic);
        memory.subscribe("reader", Set.of(topic), received);
    }

    @AfterEach
    void tearDown() {
        relays.forEach(OutboxRelay::close);
        memory.close();
    }

    @Test
    void publishes_committed_messages_of_each_key_in_order_as_cloudevents() {
        start(relay(memory));

        outbox.writeMany(5, 3);

        await().atMost(PATIENCE).until(() -> received.size() == 15);
        assertThat(received.sequencesByKey()).isEqualTo(Map.of(
                "key-0", List.of(1L, 2L, 3L, 4L, 5L), "key-1", List.of(1L, 2L, 3L, 4L, 5L), "key-2", List.of(1L, 2L, 3L, 4L, 5L)));
        Envelope first = received.envelopes().get(0);
        assertThat(first.topic()).isEqualTo(topic);
        assertThat(first.type()).isEqualTo("test.OrderChanged");
        assertThat(first.source()).isEqualTo("/test/orders");
        assertThat(first.payloadJson()).isEqualTo("{\"n\":1}");
        assertThat(received.records().get(0).record().headers()).containsKeys("ce_id", "ce_source", "ce_type", "ce_subject",
                "ce_time", "ce_specversion", "ce_sequence", "ce_correlationid", "traceparent");
    }

    @Test
    void never_publishes_a_message_whose_transaction_rolled_back() throws SQLException {
        start(relay(memory));
        try (Connection open = db.dataSource().getConnection()) {
            open.setAutoCommit(false);
            outbox.writer.write(open, outbox.message("rolled-back", 1));
            outbox.write(1, "b");
            open.rollback();
        }
        outbox.write(1, "c");

        await().atMost(PATIENCE).until(() -> received.size() == 2);
        assertThat(received.envelopes()).extracting(Envelope::key).containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void a_commit_wakes_the_relay_without_waiting_for_its_poll() {
        OutboxRelay relay = start(relay(memory).pollInterval(Duration.ofMinutes(10)));
        await().atMost(PATIENCE).until(() -> relay.ownedPartitions().size() == 1);
        outbox.write(1, "a");

        await().atMost(PATIENCE).until(() -> received.size() == 1);
        outbox.write(2, "a");

        await().atMost(PATIENCE).until(() -> received.size() == 2);
    }

    @Test
    void moves_its_checkpoint_only_after_the_broker_acknowledged() throws Exception {
        CountDownLatch publishing = new CountDownLatch(1);
        CountDownLatch acknowledge = new CountDownLatch(1);
        ControlledTransport slow = new ControlledTransport(memory).beforePublish((n, records) -> {
            publishing.countDown();
            acknowledge.await(1, TimeUnit.MINUTES);
        });
        OutboxRelay relay = start(relay(slow).name("slow-" + topic));
        outbox.write(1, "a", "b");

        assertThat(publishing.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(checkpoint(relay.name())).as("nothing acknowledged, nothing checkpointed").isEqualTo("0.0");
        acknowledge.countDown();

        await().atMost(PATIENCE).until(() -> !checkpoint(relay.name()).equals("0.0"));
        assertThat(received.size()).isEqualTo(2);
    }

    @Test
    void starts_again_from_its_checkpoint_after_a_failed_publish_and_loses_nothing() {
        ControlledTransport flaky = new ControlledTransport(memory).beforePublish((n, records) -> {
            if (n <= 2) {
                throw new TransientException("broker not reachable (attempt " + n + ")");
            }
        });
        start(relay(flaky).batchSize(4));

        outbox.writeMany(3, 3);

        await().atMost(PATIENCE).until(() -> received.size() == 9);
        assertThat(received.distinct()).isEqualTo(9);
        received.sequencesByKey().values().forEach(sequences -> assertThat(sequences).containsExactly(1L, 2L, 3L));
        assertThat(flaky.publishes()).isGreaterThan(2);
    }

    @Test
    void deletes_published_rows_when_its_retention_says_so() {
        start(relay(memory));
        outbox.writeMany(3, 2);
        await().atMost(PATIENCE).until(() -> received.size() == 6 && outbox.outboxRows() == 0);

        OutboxFixture kept = new OutboxFixture(db.dataSource(), topic);
        start(OutboxRelay.builder(db.dataSource(), memory, OutboxSource.of(kept.schema)).retention(Retention.keepForever()));
        kept.writeMany(2, 2);
        await().atMost(PATIENCE).until(() -> received.size() == 10);
        assertThat(kept.outboxRows()).isEqualTo(4);
    }

    @Test
    void relays_of_a_group_share_the_partitions_and_take_over_from_one_that_leaves() {
        OutboxRelay first = start(relay(memory).partitions(4).leaseDuration(Duration.ofMillis(600)));
        await().atMost(PATIENCE).until(() -> first.ownedPartitions().size() == 4);
        OutboxRelay second = start(relay(memory).partitions(4).leaseDuration(Duration.ofMillis(600)));

        await().atMost(PATIENCE).until(() -> first.ownedPartitions().size() == 2 && second.ownedPartitions().size() == 2);
        Set<Integer> all = new HashSet<>(first.ownedPartitions());
        all.addAll(second.ownedPartitions());
        assertThat(all).containsExactlyInAnyOrder(0, 1, 2, 3);
        outbox.writeMany(5, 8);
        await().atMost(PATIENCE).until(() -> received.size() == 40);

        second.close();
        await().atMost(PATIENCE).until(() -> first.ownedPartitions().size() == 4);
        outbox.writeMany(2, 8);

        await().atMost(PATIENCE).until(() -> received.distinct() == 56);
        received.sequencesByKey().forEach((key, sequences) ->
                assertThat(sequences).as(key).containsExactly(1L, 2L, 3L, 4L, 5L, 1L + 5, 2L + 5).doesNotHaveDuplicates());
    }

    @Test
    void refuses_to_run_a_group_with_another_partition_count() {
        start(relay(memory).partitions(2));

        assertThatThrownBy(() -> relay(memory).partitions(3).start())
                .isInstanceOf(NonTransientException.class).hasMessageContaining("2 partitions").hasMessageContaining("3");
    }

    @Test
    void refuses_bad_settings() {
        assertThatThrownBy(() -> relay(memory).partitions(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partitions");
        assertThatThrownBy(() -> relay(memory).leaseDuration(Duration.ofMillis(10))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lease");
        assertThatThrownBy(() -> relay(memory).batchSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch size");
    }

    @Test
    void reads_each_partition_through_its_own_index() throws SQLException {
        start(relay(memory).partitions(4));
        outbox.writeMany(2, 4);
        await().atMost(PATIENCE).until(() -> received.size() == 8);

        List<String> plan = new ArrayList<>();
        try (Connection connection = db.dataSource().getConnection(); PreparedStatement explain = connection.prepareStatement(
                "EXPLAIN SELECT * FROM " + outbox.schema + ".outbox WHERE (tx_id, position) > ('0'::xid8, 0)"
                        + " AND tx_id < pg_snapshot_xmin(pg_current_snapshot()) AND mod(hashtext(aggregateid) & 2147483647, 4) = 1"
                        + " ORDER BY tx_id, position LIMIT 500")) {
            connection.createStatement().execute("SET enable_seqscan = off");
            try (ResultSet rows = explain.executeQuery()) {
                while (rows.next()) {
                    plan.add(rows.getString(1));
                }
            }
        }
        assertThat(String.join("\n", plan)).contains("outbox_relay_p4").doesNotContain("Sort");
    }

    @Test
    void measures_backlog_lag_and_what_it_published() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CountDownLatch release = new CountDownLatch(1);
        ControlledTransport held = new ControlledTransport(memory).beforePublish((n, records) -> release.await(1, TimeUnit.MINUTES));
        OutboxRelay relay = start(relay(held).meterRegistry(meters).name("metered-" + topic));
        outbox.writeMany(1, 5);

        await().atMost(PATIENCE).until(() -> meters.get("keel.outbox.backlog").tag("relay", relay.name()).gauge().value() == 5);
        release.countDown();

        await().atMost(PATIENCE).until(() -> relay.backlog() == 0);
        assertThat(meters.get("keel.outbox.relay.published").counter().count()).isEqualTo(5);
        assertThat(meters.get("keel.outbox.relay.lag").timer().count()).isEqualTo(5);
        assertThat(meters.get("keel.outbox.relay.partitions").gauge().value()).isEqualTo(1);
    }

    // ---- helpers

    private OutboxRelay.Builder relay(dev.keel.messaging.spi.MessageTransport transport) {
        return OutboxRelay.builder(db.dataSource(), transport, OutboxSource.of(outbox.schema))
                .pollInterval(Duration.ofMillis(200))
                .leaseDuration(Duration.ofSeconds(2));
    }

    private OutboxRelay start(OutboxRelay.Builder builder) {
        OutboxRelay relay = builder.start();
        relays.add(relay);
        return relay;
    }

    private String checkpoint(String relay) {
        try (Connection connection = db.dataSource().getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT checkpoint_tx || '.' || checkpoint_position FROM " + outbox.schema + ".relay_partitions WHERE relay = ?")) {
            select.setString(1, relay);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
