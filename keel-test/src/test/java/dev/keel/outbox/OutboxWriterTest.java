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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keel.core.ManualClock;
import dev.keel.core.json.JsonCodec;
import dev.keel.core.json.JsonCodecException;
import dev.keel.postgres.CommittedLog;
import dev.keel.postgres.LogPosition;
import dev.keel.postgres.NotificationListener;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithInfrastructure
class OutboxWriterTest {

    record OrderPlaced(String orderId, int total) {
    }

    record Row(LogPosition position, String aggregateId, long sequence, String type, long txId) {
    }

    private final TestDatabase db;
    private final ManualClock clock = ManualClock.at("2026-05-01T09:00:00Z");
    private final String schema = "outbox_" + UUID.randomUUID().toString().substring(0, 8);
    private OutboxWriter writer;

    OutboxWriterTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void migrate() {
        OutboxWriter.migrate(db.dataSource(), schema);
        db.execute("CREATE TABLE IF NOT EXISTS orders (id text PRIMARY KEY, total int)");
        writer = OutboxWriter.builder(schema).source("/shop/orders").route("Order", "shop.orders").build();
    }

    @Test
    void writes_a_debezium_compatible_row_in_the_callers_transaction() throws SQLException {
        OutboxMessage message = OutboxMessage.of("Order", "order-1", "shop.order.OrderPlaced", new OrderPlaced("order-1", 42), clock);

        inTransaction(connection -> {
            insertOrder(connection, "order-1");
            writer.write(connection, message);
        });

        try (Connection connection = db.dataSource().getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT id, aggregatetype, aggregateid, type, payload::text, headers::text, topic, sequence, tx_id::text, position"
                        + " FROM " + schema + ".outbox"); ResultSet row = select.executeQuery()) {
            assertThat(row.next()).isTrue();
            assertThat(row.getObject("id", UUID.class)).isEqualTo(message.message().id().value());
            assertThat(row.getString("aggregatetype")).isEqualTo("Order");
            assertThat(row.getString("aggregateid")).isEqualTo("order-1");
            assertThat(row.getString("type")).isEqualTo("shop.order.OrderPlaced");
            assertThat(JsonCodec.tolerant().fromJson(row.getString(5), OrderPlaced.class)).isEqualTo(new OrderPlaced("order-1", 42));
            @SuppressWarnings("unchecked")
            Map<String, Object> headers = JsonCodec.tolerant().fromJson(row.getString(6), Map.class);
            assertThat(headers).containsEntry("ce_source", "/shop/orders")
                    .containsEntry("ce_time", "2026-05-01T09:00:00Z")
                    .containsEntry("ce_correlationid", message.message().correlationId().value())
                    .doesNotContainKey("ce_schemaversion")
                    .containsKey("traceparent");
            assertThat(row.getString("topic")).isEqualTo("shop.orders");
            assertThat(row.getLong("sequence")).isEqualTo(1);
            assertThat(row.getString(9)).isNotBlank();
            assertThat(row.getLong("position")).isPositive();
            assertThat(row.next()).isFalse();
        }
    }

    @Test
    void numbers_the_messages_of_each_key_one_after_the_other() throws SQLException {
        inTransaction(connection -> writer.write(connection, List.of(placed("a"), placed("b"), placed("a"))));
        inTransaction(connection -> writer.write(connection, placed("a")));

        assertThat(log()).extracting(row -> row.aggregateId() + "#" + row.sequence())
                .containsExactlyInAnyOrder("a#1", "a#2", "b#1", "a#3");
        assertThat(log().stream().filter(row -> row.aggregateId().equals("a")).map(Row::sequence).toList()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void writes_nothing_and_uses_up_no_sequence_when_the_callers_transaction_rolls_back() throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            insertOrder(connection, "order-rolled-back");
            writer.write(connection, placed("a"));
            connection.rollback();
        }
        inTransaction(connection -> writer.write(connection, placed("a")));

        assertThat(log()).extracting(Row::sequence).containsExactly(1L);
        assertThat(count("SELECT count(*) FROM orders WHERE id = 'order-rolled-back'")).isZero();
    }

    /**
     * Transaction A gets its id first (it writes something else), B then writes key k and commits, and
     * only then does A write k. By transaction id A sorts first, but its message is the later one: the
     * writer lifts A's row to B's tx_id, so the log (and the relay) keep the key's order.
     */
    @Test
    void a_later_message_of_a_key_never_sorts_before_an_earlier_one_in_the_log() throws SQLException {
        try (Connection early = db.dataSource().getConnection()) {
            early.setAutoCommit(false);
            insertOrder(early, "order-early");
            long earlyTxId = currentTxId(early);

            inTransaction(connection -> writer.write(connection, placed("k")));
            writer.write(early, placed("k"));
            early.commit();

            List<Row> rows = log();
            assertThat(rows.get(0).txId()).as("B's transaction id is above A's").isGreaterThan(earlyTxId);
            assertThat(rows).extracting(Row::sequence).as("log order = the key's order").containsExactly(1L, 2L);
            assertThat(rows.get(1).txId()).as("A's row lifted to B's transaction id").isEqualTo(rows.get(0).txId());
        }
    }

    @Test
    void concurrent_writers_of_the_same_keys_get_gap_free_sequences_in_log_order() throws Exception {
        int writers = 6;
        int transactionsEach = 25;
        ExecutorService executor = Executors.newFixedThreadPool(writers);
        AtomicInteger rollbacks = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writerNumber = w;
                futures.add(executor.submit(() -> {
                    for (int t = 0; t < transactionsEach; t++) {
                        try (Connection connection = db.dataSource().getConnection()) {
                            connection.setAutoCommit(false);
                            if (t % 3 == 0) {
                                insertOrder(connection, "w" + writerNumber + "-" + t);   // takes a transaction id early
                            }
                            writer.write(connection, List.of(placed("k" + (t % 3)), placed("k" + ((t + writerNumber) % 3))));
                            if (t % 7 == 6) {
                                connection.rollback();
                                rollbacks.incrementAndGet();
                            } else {
                                connection.commit();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(2, TimeUnit.MINUTES);
            }
        } finally {
            executor.shutdownNow();
        }

        List<Row> rows = log();
        assertThat(rows).hasSize((writers * transactionsEach - rollbacks.get()) * 2);
        for (String key : List.of("k0", "k1", "k2")) {
            List<Long> sequences = rows.stream().filter(row -> row.aggregateId().equals(key)).map(Row::sequence).toList();
            List<Long> expected = new ArrayList<>();
            for (long s = 1; s <= sequences.size(); s++) {
                expected.add(s);
            }
            assertThat(sequences).as("key %s in log order", key).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void routes_by_aggregate_type_and_names_other_types_like_debezium() throws SQLException {
        inTransaction(connection -> writer.write(connection, List.of(placed("a"),
                OutboxMessage.of("Customer", "c-1", "shop.customer.Registered", Map.of("name", "Ada"), clock))));

        assertThat(writer.topicFor("Order")).isEqualTo("shop.orders");
        assertThat(writer.topicFor("Customer")).isEqualTo("outbox.event.Customer");
        assertThat(count("SELECT count(*) FROM " + schema + ".outbox WHERE topic = 'outbox.event.Customer'")).isEqualTo(1);
    }

    @Test
    void refuses_bad_input_with_a_clear_error_and_writes_nothing() throws SQLException {
        OutboxWriter strict = OutboxWriter.builder(schema).route("Order", "shop.orders").onlyRoutedTypes().build();
        try (Connection connection = db.dataSource().getConnection()) {
            assertThatThrownBy(() -> strict.write(connection, placed("a")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("auto-commit");
            connection.setAutoCommit(false);
            assertThatThrownBy(() -> strict.write(connection, List.of(placed("a"),
                    OutboxMessage.of("Invoice", "i-1", "shop.billing.InvoiceSent", Map.of(), clock))))
                    .isInstanceOf(UnroutableMessageException.class).hasMessageContaining("Invoice");
            assertThatThrownBy(() -> strict.write(connection, OutboxMessage.of("Order", "o-1", "shop.order.Odd", new Object() {
                public Object getSelf() {
                    return this;
                }
            }, clock))).isInstanceOf(JsonCodecException.class);
            connection.commit();
        }
        assertThatThrownBy(() -> OutboxMessage.of("Order", " ", "shop.order.OrderPlaced", Map.of(), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aggregate id");
        assertThatThrownBy(() -> OutboxWriter.builder(schema).route("Order", "not a topic"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic name");
        assertThat(count("SELECT count(*) FROM " + schema + ".outbox")).isZero();
    }

    @Test
    void a_commit_notifies_the_outbox_channel() throws SQLException {
        AtomicInteger notified = new AtomicInteger();
        try (NotificationListener listener = NotificationListener.start(db.dataSource(), "outbox-test")) {
            listener.onNotify(schema + "_outbox", notified::incrementAndGet);

            inTransaction(connection -> writer.write(connection, List.of(placed("a"), placed("b"))));

            await().atMost(Duration.ofSeconds(10)).until(() -> notified.get() >= 1);
        }
    }

    // ---- helpers

    private OutboxMessage placed(String orderId) {
        return OutboxMessage.of("Order", orderId, "shop.order.OrderPlaced", new OrderPlaced(orderId, 1), clock);
    }

    interface Work {
        void run(Connection connection) throws SQLException;
    }

    private void inTransaction(Work work) throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            work.run(connection);
            connection.commit();
        }
    }

    private static void insertOrder(Connection connection, String id) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO orders (id, total) VALUES (?, 1)")) {
            insert.setString(1, id);
            insert.executeUpdate();
        }
    }

    private static long currentTxId(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT pg_current_xact_id()::text::bigint");
             ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private List<Row> log() throws SQLException {
        CommittedLog<Row> log = CommittedLog.<Row>of(schema + ".outbox", (row, position) -> new Row(position,
                        row.getString("aggregateid"), row.getLong("sequence"), row.getString("type"), position.txId()))
                .columns("aggregateid, sequence, type")
                .build();
        try (Connection connection = db.dataSource().getConnection()) {
            return log.readAfter(connection, LogPosition.START, 10_000);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = db.dataSource().getConnection(); PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
