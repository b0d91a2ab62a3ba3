package dev.keel.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keel.core.NonTransientException;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithInfrastructure
class PostgresPlumbingTest {

    private final TestDatabase db;

    PostgresPlumbingTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    static void migrate(TestDatabase db) {
        assertThat(Migrations.migrate(db.dataSource(), "sample", "plumbing", "db/test/sample")).isEqualTo(2);
    }

    @Test
    void migrating_again_runs_nothing_and_modules_keep_separate_histories_in_one_schema() {
        assertThat(Migrations.migrate(db.dataSource(), "sample", "plumbing", "db/test/sample")).isZero();
        assertThat(Migrations.migrate(db.dataSource(), "other", "plumbing", "db/test/other")).isEqualTo(1);

        assertThat(count("SELECT count(*) FROM plumbing.flyway_history_sample WHERE success AND type = 'SQL'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM plumbing.flyway_history_other WHERE success AND type = 'SQL'")).isEqualTo(1);
    }

    @Test
    void a_missing_migration_folder_is_a_clear_error() {
        assertThatThrownBy(() -> Migrations.migrate(db.dataSource(), "nothing", "plumbing", "db/test/does_not_exist"))
                .isInstanceOf(NonTransientException.class)
                .hasMessageContaining("migrating nothing into schema plumbing failed");
    }

    @Test
    void commits_work_that_returns_and_rolls_back_work_that_throws() {
        Transactions.inTransaction(db.dataSource(), "insert", connection -> {
            connection.createStatement().execute("INSERT INTO plumbing.log_rows (writer, seq) VALUES (100, 1)");
            return null;
        });
        assertThatThrownBy(() -> Transactions.inTransaction(db.dataSource(), "insert then fail", connection -> {
            connection.createStatement().execute("INSERT INTO plumbing.log_rows (writer, seq) VALUES (100, 2)");
            throw new IllegalStateException("business rule broken");
        })).isInstanceOf(IllegalStateException.class).hasMessage("business rule broken");

        assertThat(count("SELECT count(*) FROM plumbing.log_rows WHERE writer = 100")).isEqualTo(1);
    }

    @Test
    void sql_failures_say_what_was_done_and_whether_retrying_helps() {
        assertThatThrownBy(() -> Transactions.inTransaction(db.dataSource(), "insert a null writer", connection -> {
            connection.createStatement().execute("INSERT INTO plumbing.log_rows (writer, seq) VALUES (NULL, 1)");
            return null;
        })).isInstanceOfSatisfying(SqlFailure.Permanent.class, e -> {
            assertThat(e.getMessage()).startsWith("insert a null writer failed: ").endsWith("[23502]");
            assertThat(e.sqlState()).isEqualTo("23502");
            assertThat(e.isTransient()).isFalse();
        });
    }

    @Test
    void a_commit_wakes_its_listener_within_moments() throws SQLException {
        AtomicInteger wakeUps = new AtomicInteger();
        try (NotificationListener listener = NotificationListener.start(db.dataSource(), "test")) {
            listener.onNotify("plumbing_log_rows", wakeUps::incrementAndGet);

            db.execute("INSERT INTO plumbing.log_rows (writer, seq) VALUES (200, 1)");

            await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps.get() >= 1);
        }
    }

    @Test
    void the_listener_reconnects_after_losing_its_connection_and_wakes_everyone_once() {
        AtomicInteger wakeUps = new AtomicInteger();
        try (NotificationListener listener = NotificationListener.start(db.dataSource(), "test")) {
            listener.onNotify("plumbing_log_rows", wakeUps::incrementAndGet);

            db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE query LIKE 'LISTEN%' AND datname = current_database() AND pid <> pg_backend_pid()");

            await().atMost(Duration.ofSeconds(10)).until(() -> wakeUps.get() >= 1 && listener.isConnected());
            int before = wakeUps.get();
            db.execute("INSERT INTO plumbing.log_rows (writer, seq) VALUES (300, 1)");
            await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps.get() > before);
        }
    }

    @Test
    void log_positions_have_a_text_token_and_sort_by_transaction_then_position() {
        LogPosition position = LogPosition.parse("815.1204");

        assertThat(position).isEqualTo(new LogPosition(815, 1204));
        assertThat(position.token()).isEqualTo("815.1204");
        assertThat(new LogPosition(816, 1)).isGreaterThan(position);
        assertThat(new LogPosition(815, 1205).isAfter(position)).isTrue();
        assertThatThrownBy(() -> LogPosition.parse("815")).hasMessageContaining("not a log position token");
        assertThatThrownBy(() -> LogPosition.parse("9999999999999999999.1")).hasMessageContaining("out of range");
    }

    @Test
    void sql_names_refuse_anything_but_plain_identifiers() {
        assertThat(SqlNames.qualified("keel", "events")).isEqualTo("keel.events");
        assertThatThrownBy(() -> SqlNames.identifier("events; DROP TABLE x", "table"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower-case SQL identifier");
    }

    private long count(String sql) {
        try (Connection connection = db.dataSource().getConnection(); ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
