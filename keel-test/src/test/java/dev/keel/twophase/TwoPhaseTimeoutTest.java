package dev.keel.twophase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import dev.keel.postgres.SqlFailure;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A participant that is blocked cannot hold the coordinator, or the other participants, for long. */
@WithInfrastructure
class TwoPhaseTimeoutTest {

    private static Warehouses warehouses;

    @BeforeAll
    static void setUp(TestDatabase db) {
        warehouses = Warehouses.create(db);
        warehouses.b.execute("CREATE TABLE reservation (code text UNIQUE DEFERRABLE INITIALLY DEFERRED)");
    }

    @Test
    void a_participant_that_does_not_vote_in_time_aborts_the_transaction() throws SQLException {
        warehouses.stock("vote", 10, 0);
        try (TwoPhaseCoordinator coordinator = warehouses.coordinator("vote-timeout")
                .voteTimeout(Duration.ofMillis(500))
                .lockTimeout(Duration.ofSeconds(30))
                .presumeAbortAfter(Duration.ZERO)
                .build();
             Connection other = warehouses.b.dataSource().getConnection()) {
            // another transaction holds the code: B's deferred unique check at PREPARE waits for it
            other.setAutoCommit(false);
            other.createStatement().execute("INSERT INTO reservation VALUES ('held')");

            Outcome outcome = coordinator.execute(tx -> {
                warehouses.move(tx, "vote", 3);
                tx.on(warehouses.warehouseB, connection -> connection.createStatement().execute("INSERT INTO reservation VALUES ('held')"));
            });
            // the late branch was cancelled: nobody is left waiting for the other transaction's lock
            await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND wait_event_type = 'Lock'") == 0);
            other.rollback();

            assertThat(outcome).isInstanceOfSatisfying(Outcome.RolledBack.class, rolledBack ->
                    assertThat(rolledBack.reason()).isEqualTo(new RollbackReason.VoteTimedOut(
                            java.util.List.of("warehouse_b"), Duration.ofMillis(500))));
            // whatever the late branch did after being given up on, recovery finishes it by the abort decision
            await().atMost(Duration.ofSeconds(20)).until(() -> coordinator.recover().isClean() && warehouses.prepared().isEmpty());
        }
        assertThat(warehouses.inA("vote")).isEqualTo(10);
        assertThat(warehouses.inB("vote")).isZero();
        assertThat(count("SELECT count(*) FROM reservation")).isZero();
    }

    @Test
    void a_participant_waiting_on_a_lock_gives_up_after_the_lock_timeout_and_nothing_changes() throws SQLException {
        warehouses.stock("locked", 10, 0);
        try (TwoPhaseCoordinator coordinator = warehouses.coordinator("lock-timeout").lockTimeout(Duration.ofMillis(200)).build();
             Connection other = warehouses.a.dataSource().getConnection()) {
            other.setAutoCommit(false);
            other.createStatement().execute("SELECT * FROM stock WHERE sku = 'locked' FOR UPDATE");

            assertThatThrownBy(() -> coordinator.execute(tx -> {
                tx.on(warehouses.warehouseB, connection -> Warehouses.change(connection, "locked", 3));
                tx.on(warehouses.warehouseA, connection -> Warehouses.change(connection, "locked", -3));
            })).isInstanceOfSatisfying(SqlFailure.Transient.class, e -> {
                assertThat(e.sqlState()).isEqualTo("55P03");
                assertThat(e.getMessage()).contains("participant 'warehouse_a'");
            });
            other.rollback();
        }
        assertThat(warehouses.inA("locked")).isEqualTo(10);
        assertThat(warehouses.inB("locked")).isZero();
        assertThat(warehouses.prepared()).isEmpty();
    }

    @Test
    void a_statement_that_runs_too_long_on_a_participant_is_cancelled() {
        warehouses.stock("slow-statement", 10, 0);
        try (TwoPhaseCoordinator coordinator = warehouses.coordinator("statement-timeout").statementTimeout(Duration.ofMillis(200)).build()) {
            assertThatThrownBy(() -> coordinator.execute(tx -> {
                warehouses.move(tx, "slow-statement", 1);
                tx.on(warehouses.warehouseB, connection -> connection.createStatement().execute("SELECT pg_sleep(30)"));
            })).isInstanceOfSatisfying(SqlFailure.Transient.class, e -> assertThat(e.sqlState()).isEqualTo("57014"));
        }
        assertThat(warehouses.inA("slow-statement")).isEqualTo(10);
        assertThat(warehouses.prepared()).isEmpty();
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = warehouses.b.dataSource().getConnection(); ResultSet row = connection.createStatement().executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
