package dev.keel.twophase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import dev.keel.postgres.SqlFailure;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithInfrastructure
class TwoPhaseCommitTest {

    private static Warehouses warehouses;
    private static SimpleMeterRegistry meters;
    private static TwoPhaseCoordinator coordinator;

    @BeforeAll
    static void setUp(TestDatabase db) {
        warehouses = Warehouses.create(db);
        warehouses.b.execute("CREATE TABLE reservation (code text UNIQUE DEFERRABLE INITIALLY DEFERRED)");
        meters = new SimpleMeterRegistry();
        coordinator = warehouses.coordinator("commit-test").meterRegistry(meters).build();
    }

    @AfterAll
    static void tearDown() {
        coordinator.close();
    }

    @Test
    void moves_stock_between_two_databases_atomically() {
        warehouses.stock("happy", 10, 0);

        Outcome outcome = coordinator.execute(tx -> warehouses.move(tx, "happy", 4));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Committed.class, committed -> {
            assertThat(committed.isComplete()).isTrue();
            assertThat(committed.participants()).containsExactly("warehouse_a", "warehouse_b");
        });
        assertThat(warehouses.inA("happy")).isEqualTo(6);
        assertThat(warehouses.inB("happy")).isEqualTo(4);
        assertThat(warehouses.prepared()).isEmpty();
        assertThat(warehouses.decision(outcome.transaction())).isEqualTo("commit");
        // marked finished in the background, a moment later
        await().atMost(Duration.ofSeconds(10)).until(() -> warehouses.unfinishedDecisions("commit-test") == 0);
    }

    @Test
    void work_that_throws_rolls_every_participant_back_and_the_exception_comes_out() {
        warehouses.stock("thrown", 10, 0);

        assertThatThrownBy(() -> coordinator.execute(tx -> {
            tx.on(warehouses.warehouseB, connection -> Warehouses.change(connection, "thrown", 3));
            tx.on(warehouses.warehouseA, connection -> Warehouses.change(connection, "thrown", -3));
            throw new IllegalStateException("customer changed their mind");
        })).isInstanceOf(IllegalStateException.class).hasMessage("customer changed their mind");

        assertThat(warehouses.inA("thrown")).isEqualTo(10);
        assertThat(warehouses.inB("thrown")).isZero();
        assertThat(warehouses.prepared()).isEmpty();
    }

    @Test
    void a_participant_failing_before_prepare_rolls_back_the_others_and_names_itself() {
        warehouses.stock("short", 2, 0);

        assertThatThrownBy(() -> coordinator.execute(tx -> {
            tx.on(warehouses.warehouseB, connection -> Warehouses.change(connection, "short", 5));
            tx.on(warehouses.warehouseA, connection -> Warehouses.change(connection, "short", -5));
        })).isInstanceOfSatisfying(SqlFailure.Permanent.class, failure -> {
            assertThat(failure.sqlState()).isEqualTo("23514");
            assertThat(failure.getMessage()).contains("participant 'warehouse_a'");
        });

        assertThat(warehouses.inA("short")).isEqualTo(2);
        assertThat(warehouses.inB("short")).isZero();
        assertThat(warehouses.prepared()).isEmpty();
    }

    @Test
    void a_participant_that_cannot_prepare_votes_no_and_the_prepared_ones_are_rolled_back() {
        warehouses.stock("deferred", 10, 0);

        // a deferred unique constraint is only checked at PREPARE TRANSACTION: the vote fails there
        Outcome outcome = coordinator.execute(tx -> {
            warehouses.move(tx, "deferred", 1);
            tx.on(warehouses.warehouseB, connection -> connection.createStatement()
                    .execute("INSERT INTO reservation VALUES ('twice'), ('twice')"));
        });

        assertThat(outcome).isInstanceOfSatisfying(Outcome.RolledBack.class, rolledBack ->
                assertThat(rolledBack.reason()).isInstanceOfSatisfying(RollbackReason.VoteFailed.class, vote -> {
                    assertThat(vote.participant()).isEqualTo("warehouse_b");
                    assertThat(vote.sqlState()).isEqualTo("23505");
                }));
        assertThat(warehouses.inA("deferred")).isEqualTo(10);
        assertThat(warehouses.inB("deferred")).isZero();
        assertThat(warehouses.prepared()).isEmpty();
        assertThat(warehouses.decision(outcome.transaction())).as("presumed abort: nothing logged").isEqualTo("none");
    }

    @Test
    void work_that_catches_a_participant_failure_still_rolls_back_the_whole_transaction() {
        warehouses.stock("caught", 1, 0);

        Outcome outcome = coordinator.execute(tx -> {
            tx.on(warehouses.warehouseB, connection -> Warehouses.change(connection, "caught", 5));
            try {
                tx.on(warehouses.warehouseA, connection -> Warehouses.change(connection, "caught", -5));
            } catch (SqlFailure.Permanent ignored) {
                // carrying on regardless cannot commit a failed branch
            }
        });

        assertThat(outcome).isInstanceOfSatisfying(Outcome.RolledBack.class, rolledBack ->
                assertThat(rolledBack.reason()).isInstanceOfSatisfying(RollbackReason.VoteFailed.class,
                        vote -> assertThat(vote.participant()).isEqualTo("warehouse_a")));
        assertThat(warehouses.inB("caught")).isZero();
        assertThat(warehouses.prepared()).isEmpty();
    }

    @Test
    void work_can_read_values_from_participants() {
        warehouses.stock("read", 7, 3);

        List<Integer> seen = new ArrayList<>();
        Outcome outcome = coordinator.execute(tx -> {
            seen.add(tx.call(warehouses.warehouseA, connection -> quantity(connection, "read")));
            seen.add(tx.call(warehouses.warehouseB, connection -> quantity(connection, "read")));
        });

        assertThat(outcome.isCommitted()).isTrue();
        assertThat(seen).containsExactly(7, 3);
    }

    @Test
    void a_transaction_that_uses_one_participant_is_still_prepared_and_committed() {
        warehouses.stock("single", 5, 0);

        Outcome outcome = coordinator.execute(tx -> tx.on(warehouses.warehouseA, connection -> Warehouses.change(connection, "single", -1)));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Committed.class,
                committed -> assertThat(committed.participants()).containsExactly("warehouse_a"));
        assertThat(warehouses.inA("single")).isEqualTo(4);
    }

    @Test
    void a_transaction_that_uses_no_participant_commits_nothing() {
        Outcome outcome = coordinator.execute(tx -> { });

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Committed.class, committed -> {
            assertThat(committed.participants()).isEmpty();
            assertThat(committed.isComplete()).isTrue();
        });
    }

    @Test
    void concurrent_transfers_keep_the_total_and_leave_nothing_prepared() throws Exception {
        warehouses.stock("busy", 1_000, 1_000);

        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                int delta = ThreadLocalRandom.current().nextInt(-5, 6);
                // both directions, but always A before B: participants taken in one order cannot deadlock
                outcomes.add(threads.submit(() -> coordinator.execute(tx -> {
                    tx.on(warehouses.warehouseA, connection -> Warehouses.change(connection, "busy", -delta));
                    tx.on(warehouses.warehouseB, connection -> Warehouses.change(connection, "busy", delta));
                })));
            }
            for (Future<Outcome> outcome : outcomes) {
                assertThat(outcome.get().isCommitted()).isTrue();
            }
        } finally {
            threads.shutdown();
        }

        assertThat(warehouses.inA("busy") + warehouses.inB("busy")).isEqualTo(2_000);
        assertThat(warehouses.prepared()).isEmpty();
    }

    @Test
    void counts_transactions_by_outcome() {
        warehouses.stock("counted", 10, 0);
        double committedBefore = count("committed", "complete");
        double failedBefore = count("rolled_back", "work_failed");

        coordinator.execute(tx -> warehouses.move(tx, "counted", 1));
        assertThatThrownBy(() -> coordinator.execute(tx -> warehouses.move(tx, "counted", 100)));

        assertThat(count("committed", "complete")).isEqualTo(committedBefore + 1);
        assertThat(count("rolled_back", "work_failed")).isEqualTo(failedBefore + 1);
        assertThat(meters.get("keel.twophase.in_doubt").tag("coordinator", "commit-test").gauge().value()).isZero();
    }

    @Test
    void a_participant_may_run_its_branch_serializable() throws Exception {
        warehouses.stock("serial", 3, 0);
        try (TwoPhaseCoordinator serializable = TwoPhaseCoordinator.builder("serializable-test", warehouses.log.dataSource())
                .participant(warehouses.warehouseA.withIsolation(Participant.Isolation.SERIALIZABLE))
                .participant(warehouses.warehouseB)
                .meterRegistry(new SimpleMeterRegistry())
                .build()) {
            List<String> levels = new ArrayList<>();
            Outcome outcome = serializable.execute(tx -> levels.add(tx.call(
                    warehouses.warehouseA.withIsolation(Participant.Isolation.SERIALIZABLE), connection -> {
                        try (ResultSet row = connection.createStatement().executeQuery("SHOW transaction_isolation")) {
                            row.next();
                            return row.getString(1);
                        }
                    })));

            assertThat(outcome.isCommitted()).isTrue();
            assertThat(levels).containsExactly("serializable");
        }
    }

    private static double count(String outcome, String reason) {
        var timer = meters.find("keel.twophase.transactions").tag("outcome", outcome).tag("reason", reason).timer();
        return timer == null ? 0 : timer.count();
    }

    private static int quantity(java.sql.Connection connection, String sku) throws java.sql.SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT quantity FROM stock WHERE sku = ?")) {
            select.setString(1, sku);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
