package dev.keel.twophase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The coordinator dies at each point of the protocol (its hook throws: its connections are dropped
 * without another word, as a killed process's would be), then a restarted coordinator with the same
 * id recovers. {@link CoordinatorKilledTest} does the same with a real process and SIGKILL.
 */
@WithInfrastructure
class CoordinatorCrashTest {

    private static Warehouses warehouses;

    @BeforeAll
    static void setUp(TestDatabase db) {
        warehouses = Warehouses.create(db);
    }

    /** What the hook throws: the coordinator "dies" at the crash point. */
    static final class CoordinatorDied extends RuntimeException {
        CoordinatorDied(CrashPoint point) {
            super("coordinator died " + point);
        }
    }

    @ParameterizedTest
    @EnumSource(value = CrashPoint.class, names = "DURING_WORK", mode = EnumSource.Mode.EXCLUDE)
    void after_a_crash_at_any_point_recovery_finishes_the_transaction_the_way_the_log_says(CrashPoint point) {
        String sku = "crash-" + point.ordinal();
        String id = "crash-" + point.ordinal();
        warehouses.stock(sku, 10, 0);

        crash(id, sku, point);
        assertThat(preparedOf(id)).as("prepared at the crash").hasSize(point.preparedAtCrash);

        try (TwoPhaseCoordinator restarted = warehouses.coordinator(id).presumeAbortAfter(Duration.ZERO).build()) {
            RecoveryReport report = restarted.recover();

            assertThat(report.isClean()).as(report.toString()).isTrue();
            assertThat(point.commits ? report.committed() : report.rolledBack()).isEqualTo(point.preparedAtCrash);
            assertThat(point.commits ? report.rolledBack() : report.committed()).isZero();
        }
        assertThat(List.of(warehouses.inA(sku), warehouses.inB(sku)))
                .as("all or nothing")
                .isEqualTo(point.commits ? List.of(6, 4) : List.of(10, 0));
        assertThat(preparedOf(id)).as("nothing left prepared").isEmpty();
        assertThat(warehouses.unfinishedDecisions(id)).isZero();
    }

    @Test
    void a_restarted_coordinator_leaves_an_undecided_transaction_alone_until_the_presumed_abort_delay() {
        warehouses.stock("young", 10, 0);
        crash("young", "young", CrashPoint.AFTER_ALL_PREPARES_BEFORE_THE_DECISION);

        try (TwoPhaseCoordinator patient = warehouses.coordinator("young").presumeAbortAfter(Duration.ofMinutes(10)).build()) {
            RecoveryReport report = patient.recover();
            assertThat(report.inDoubt()).as("one transaction, two branches").isEqualTo(1);
            assertThat(report.rolledBack()).isZero();
        }
        assertThat(preparedOf("young")).hasSize(2);

        try (TwoPhaseCoordinator impatient = warehouses.coordinator("young").presumeAbortAfter(Duration.ZERO).build()) {
            assertThat(impatient.recover().rolledBack()).isEqualTo(2);
        }
        assertThat(preparedOf("young")).isEmpty();
        assertThat(warehouses.inA("young")).isEqualTo(10);
    }

    @Test
    void a_dangling_prepared_transaction_holds_back_the_xmin_of_every_database_on_its_server_until_recovery() {
        warehouses.stock("xmin", 10, 0);
        crash("xmin", "xmin", CrashPoint.AFTER_ALL_PREPARES_BEFORE_THE_DECISION);
        long prepared = number(warehouses.log, "SELECT min(transaction::text::bigint) FROM pg_prepared_xacts WHERE gid LIKE 'keel2pc:xmin:%'");

        // the decision log's database is no participant, yet its gap-free readers could read nothing past it
        warehouses.log.execute("CREATE TABLE xmin_probe (n int)", "INSERT INTO xmin_probe VALUES (1)");
        assertThat(number(warehouses.log, XMIN)).isLessThanOrEqualTo(prepared);

        try (TwoPhaseCoordinator restarted = warehouses.coordinator("xmin").presumeAbortAfter(Duration.ZERO).build()) {
            restarted.recover();
        }
        assertThat(number(warehouses.log, XMIN)).isGreaterThan(prepared);
    }

    private static final String XMIN = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

    private static long number(TestDatabase db, String sql) {
        try (Connection connection = db.dataSource().getConnection(); ResultSet row = connection.createStatement().executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void the_recovery_loop_finishes_what_a_crash_left_as_soon_as_the_coordinator_starts() {
        warehouses.stock("loop", 10, 0);
        crash("loop", "loop", CrashPoint.AFTER_THE_DECISION_BEFORE_ANY_COMMIT);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();

        try (TwoPhaseCoordinator restarted = warehouses.coordinator("loop").meterRegistry(meters).recoveryInterval(Duration.ofMillis(100)).start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> preparedOf("loop").isEmpty()
                    && meters.get("keel.twophase.recovery.actions").tag("action", "commit").counter().count() == 2
                    && warehouses.unfinishedDecisions("loop") == 0);

            assertThat(warehouses.inA("loop")).isEqualTo(6);
            assertThat(warehouses.inB("loop")).isEqualTo(4);
        }
    }

    @Test
    void recovery_reports_a_participant_that_a_decision_names_but_nobody_registered() {
        warehouses.stock("forgotten", 10, 0);
        crash("forgotten", "forgotten", CrashPoint.AFTER_THE_DECISION_BEFORE_ANY_COMMIT);

        try (TwoPhaseCoordinator onlyA = TwoPhaseCoordinator.builder("forgotten", warehouses.log.dataSource())
                .participant(warehouses.warehouseA).meterRegistry(new SimpleMeterRegistry()).build()) {
            RecoveryReport report = onlyA.recover();
            assertThat(report.committed()).isEqualTo(1);
            assertThat(report.unknownParticipants()).containsExactly("warehouse_b");
            assertThat(report.inDoubt()).isEqualTo(1);
        }
        try (TwoPhaseCoordinator both = warehouses.coordinator("forgotten").build()) {
            assertThat(both.recover().committed()).isEqualTo(1);
        }
        assertThat(warehouses.inB("forgotten")).isEqualTo(4);
        assertThat(preparedOf("forgotten")).isEmpty();
    }

    @Test
    void recovery_leaves_alone_what_its_own_coordinator_is_running() throws Exception {
        warehouses.stock("running", 10, 0);
        CountDownLatch votesIn = new CountDownLatch(1);
        CountDownLatch carryOn = new CountDownLatch(1);
        try (TwoPhaseCoordinator coordinator = warehouses.coordinator("running")
                .presumeAbortAfter(Duration.ZERO)
                .voteTimeout(Duration.ofMinutes(1))
                .protocolHook(pauseAt(ProtocolStep.VOTES_IN, votesIn, carryOn))
                .build()) {
            CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(() -> coordinator.execute(tx -> warehouses.move(tx, "running", 2)));
            assertThat(votesIn.await(20, TimeUnit.SECONDS)).isTrue();

            RecoveryReport report = coordinator.recover();
            carryOn.countDown();

            assertThat(report.rolledBack()).isZero();
            assertThat(report.inDoubt()).as("running, so not in doubt").isZero();
            assertThat(outcome.get(20, TimeUnit.SECONDS).isCommitted()).isTrue();
        }
        assertThat(warehouses.inB("running")).isEqualTo(2);
        assertThat(preparedOf("running")).isEmpty();
    }

    @Test
    void when_recovery_elsewhere_aborts_a_slow_transaction_first_the_coordinator_rolls_back_instead_of_committing() throws Exception {
        warehouses.stock("slow", 10, 0);
        CountDownLatch votesIn = new CountDownLatch(1);
        CountDownLatch carryOn = new CountDownLatch(1);
        try (TwoPhaseCoordinator slow = warehouses.coordinator("slow")
                .voteTimeout(Duration.ofMinutes(1))
                .protocolHook(pauseAt(ProtocolStep.VOTES_IN, votesIn, carryOn))
                .build();
             // a second instance with the same id, e.g. the replacement in a rolling restart
             TwoPhaseCoordinator other = warehouses.coordinator("slow").presumeAbortAfter(Duration.ZERO).build()) {
            CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(() -> slow.execute(tx -> warehouses.move(tx, "slow", 2)));
            assertThat(votesIn.await(20, TimeUnit.SECONDS)).isTrue();

            assertThat(other.recover().rolledBack()).isEqualTo(2);
            carryOn.countDown();

            assertThat(outcome.get(20, TimeUnit.SECONDS)).isInstanceOfSatisfying(Outcome.RolledBack.class,
                    rolledBack -> assertThat(rolledBack.reason()).isInstanceOf(RollbackReason.AbortedByRecovery.class));
            assertThat(warehouses.decision(outcome.get().transaction())).isEqualTo("abort");
        }
        assertThat(warehouses.inA("slow")).isEqualTo(10);
        assertThat(warehouses.inB("slow")).isZero();
        assertThat(preparedOf("slow")).isEmpty();
    }

    private static void crash(String id, String sku, CrashPoint point) {
        try (TwoPhaseCoordinator crashing = warehouses.coordinator(id).protocolHook(point.hook(() -> {
            throw new CoordinatorDied(point);
        })).build()) {
            assertThatThrownBy(() -> crashing.execute(tx -> warehouses.move(tx, sku, 4))).isInstanceOf(CoordinatorDied.class);
        }
    }

    private static ProtocolHook pauseAt(ProtocolStep step, CountDownLatch reached, CountDownLatch carryOn) {
        return point -> {
            if (point.step() == step) {
                reached.countDown();
                try {
                    if (!carryOn.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never let the coordinator carry on");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    private static List<String> preparedOf(String coordinator) {
        return warehouses.prepared().stream().filter(gid -> gid.startsWith("keel2pc:" + coordinator + ":")).toList();
    }
}
