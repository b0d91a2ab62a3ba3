package dev.keel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keel.eventstore.postgres.PostgresEventStore;
import dev.keel.postgres.CommittedLog;
import dev.keel.postgres.LogPosition;
import dev.keel.postgres.NotificationListener;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** What the PostgreSQL store promises beyond the contract: its table, its notifications, its transactions. */
@WithInfrastructure
class PostgresEventTableTest {

    private final TestDatabase db;

    PostgresEventTableTest(TestDatabase db) {
        this.db = db;
    }

    private PostgresEventStore store(String schema) {
        return PostgresEventStore.builder(db.dataSource()).schema(schema).build();
    }

    @Test
    void the_events_table_has_the_documented_columns_in_the_configured_schema() throws SQLException {
        try (PostgresEventStore store = store("shop_orders")) {
            assertThat(store.eventsTable()).isEqualTo("shop_orders.events");
            Map<String, String> columns = new LinkedHashMap<>();
            try (Connection connection = db.dataSource().getConnection();
                 PreparedStatement query = connection.prepareStatement("SELECT column_name, data_type FROM information_schema.columns"
                         + " WHERE table_schema = 'shop_orders' AND table_name = 'events' ORDER BY ordinal_position");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    columns.put(rows.getString(1), rows.getString(2));
                }
            }
            assertThat(columns).containsExactly(
                    Map.entry("position", "bigint"),
                    Map.entry("tx_id", "xid8"),
                    Map.entry("stream_id", "text"),
                    Map.entry("stream_version", "bigint"),
                    Map.entry("event_id", "uuid"),
                    Map.entry("event_type", "text"),
                    Map.entry("schema_version", "integer"),
                    Map.entry("payload", "jsonb"),
                    Map.entry("metadata", "jsonb"),
                    Map.entry("recorded_at", "timestamp with time zone"));
        }
    }

    @Test
    void building_a_store_again_migrates_nothing_and_keeps_the_events() {
        try (PostgresEventStore store = store("again")) {
            store.append("kept", ExpectedVersion.noStream(), EventData.of("Counted", "{}"));
        }
        try (PostgresEventStore store = store("again")) {
            assertThat(store.readStream("kept")).hasSize(1);
        }
    }

    @Test
    void stores_in_different_schemas_do_not_see_each_other() {
        try (PostgresEventStore orders = store("sep_orders"); PostgresEventStore payments = store("sep_payments")) {
            orders.append("x-1", ExpectedVersion.noStream(), EventData.of("Counted", "{}"));

            assertThat(payments.readStream("x-1")).isEmpty();
            assertThat(payments.head()).isEmpty();
            payments.append("x-1", ExpectedVersion.noStream(), EventData.of("Counted", "{}"));
        }
    }

    @Test
    void a_commit_notifies_the_stores_channel() {
        try (PostgresEventStore store = store("notified");
             NotificationListener listener = NotificationListener.start(db.dataSource(), "test")) {
            AtomicInteger notifications = new AtomicInteger();
            listener.onNotify(store.notificationChannel(), notifications::incrementAndGet);

            store.append("n-1", ExpectedVersion.noStream(), EventData.of("Counted", "{}"));

            assertThat(store.notificationChannel()).isEqualTo("notified_events");
            await().atMost(Duration.ofSeconds(10)).until(() -> notifications.get() >= 1);
        }
    }

    @Test
    void other_modules_read_the_events_table_as_a_gap_free_log_with_committed_log() throws SQLException {
        try (PostgresEventStore store = store("as_outbox")) {
            store.append("order-1", ExpectedVersion.noStream(), EventData.of("OrderPlaced", "{\"total\":10}"));
            store.append("order-2", ExpectedVersion.noStream(), EventData.of("OrderPlaced", "{\"total\":20}"));

            record Row(LogPosition position, String aggregate, String type, String payload) {
            }
            CommittedLog<Row> outbox = CommittedLog.<Row>of(store.eventsTable(),
                            (row, position) -> new Row(position, row.getString("stream_id"), row.getString("event_type"),
                                    row.getString("payload")))
                    .columns("stream_id, event_type, payload")
                    .build();
            try (Connection connection = db.dataSource().getConnection()) {
                List<Row> rows = outbox.readAfter(connection, LogPosition.START, 10);
                assertThat(rows).extracting(Row::aggregate).containsExactly("order-1", "order-2");
                assertThat(rows).extracting(Row::position).containsExactlyElementsOf(
                        store.readAll(LogPosition.START, 10).stream().map(RecordedEvent::position).toList());
            }
        }
    }

    @Test
    void appending_within_a_transaction_commits_and_rolls_back_with_it() throws SQLException {
        try (PostgresEventStore store = store("within")) {
            try (Connection connection = db.dataSource().getConnection()) {
                connection.setAutoCommit(false);
                store.appendWithin(connection, "kept", ExpectedVersion.noStream(), List.of(EventData.of("Counted", "{}")));
                connection.commit();
                store.appendWithin(connection, "dropped", ExpectedVersion.noStream(), List.of(EventData.of("Counted", "{}")));
                assertThat(store.readStream("dropped")).as("invisible before commit").isEmpty();
                connection.rollback();
            }

            assertThat(store.readStream("kept")).hasSize(1);
            assertThat(store.readStream("dropped")).isEmpty();
        }
    }

    @Test
    void appending_within_a_transaction_keeps_the_checks_of_an_append() throws SQLException {
        try (PostgresEventStore store = store("within_checks")) {
            EventData once = EventData.of("Counted", "{}");
            store.append("s", ExpectedVersion.noStream(), once);
            try (Connection connection = db.dataSource().getConnection()) {
                connection.setAutoCommit(false);
                assertThat(store.appendWithin(connection, "s", ExpectedVersion.noStream(), List.of(once)).alreadyStored()).isTrue();
                assertThatThrownBy(() -> store.appendWithin(connection, "s", ExpectedVersion.noStream(),
                        List.of(EventData.of("Counted", "{}")))).isInstanceOf(WrongExpectedVersionException.class);
                // the caller's transaction is still usable after a refusal
                store.appendWithin(connection, "s", ExpectedVersion.exactly(1), List.of(EventData.of("Counted", "{}")));
                connection.commit();
            }
            assertThat(store.readStream("s")).hasSize(2);
        }
    }

    @Test
    void appending_within_needs_a_transaction() throws SQLException {
        try (PostgresEventStore store = store("within_auto"); Connection connection = db.dataSource().getConnection()) {
            assertThatThrownBy(() -> store.appendWithin(connection, "s", ExpectedVersion.any(), List.of(EventData.of("Counted", "{}"))))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("auto-commit off");
        }
    }

    @Test
    void a_subscriber_in_another_process_is_woken_by_the_notification_not_by_polling() {
        try (PostgresEventStore writer = store("woken");
             PostgresEventStore elsewhere = store("woken")) {
            List<RecordedEvent> received = new CopyOnWriteArrayList<>();
            try (Subscription subscription = elsewhere.subscribe(SubscriptionOptions.fromStart().pollInterval(Duration.ofHours(1)),
                    received::add)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> subscription.state() == Subscription.State.LIVE);

                writer.append("w-1", ExpectedVersion.noStream(), EventData.of("Counted", "{}"));

                // an hour's poll interval: only the notification can bring it
                await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
            }
        }
    }

    @Test
    void a_transaction_left_open_elsewhere_holds_readers_back_until_it_ends_and_the_lag_shows_it() throws SQLException {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (PostgresEventStore store = PostgresEventStore.builder(db.dataSource()).schema("held").meterRegistry(meters).build()) {
            db.execute("CREATE TABLE IF NOT EXISTS unrelated (id int)");
            List<RecordedEvent> received = new CopyOnWriteArrayList<>();
            try (Subscription subscription = store.subscribe(SubscriptionOptions.fromStart().named("held"), received::add);
                 Connection idle = db.dataSource().getConnection()) {
                idle.setAutoCommit(false);
                try (PreparedStatement write = idle.prepareStatement("INSERT INTO unrelated VALUES (1)")) {
                    write.executeUpdate(); // now it has a transaction id, older than the append's
                }

                store.append("h-1", ExpectedVersion.noStream(), EventData.of("Counted", "{}"));

                assertThat(store.readStream("h-1")).as("the stream itself reads at once").hasSize(1);
                assertThat(store.readAll(LogPosition.START, 10)).as("the log holds it back").isEmpty();
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        meters.get("keel.eventstore.subscription.lag").tag("subscription", "held").gauge().value() >= 1);
                assertThat(received).isEmpty();

                idle.commit();
                await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
            }
        }
    }
}
