package dev.keel.twophase;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The decision log fails just when the commit decision is to be written. */
@WithInfrastructure
class DecisionLogFailureTest {

    private static Warehouses warehouses;
    private FlakyDataSource log;
    private TwoPhaseCoordinator coordinator;
    /** What goes wrong with the log once every participant has voted. */
    private Runnable failures = () -> { };

    @BeforeAll
    static void setUp(TestDatabase db) {
        warehouses = Warehouses.create(db);
    }

    @BeforeEach
    void coordinator() {
        log = new FlakyDataSource(warehouses.log.dataSource());
        coordinator = TwoPhaseCoordinator.builder("flaky-log", log)
                .participant(warehouses.warehouseA)
                .participant(warehouses.warehouseB)
                .presumeAbortAfter(Duration.ZERO)
                .meterRegistry(new SimpleMeterRegistry())
                .protocolHook(point -> {
                    if (point.step() == ProtocolStep.VOTES_IN) {
                        // from here on, the log's network fails as the test has arranged
                        failures.run();
                    }
                })
                .build();
    }

    @AfterEach
    void close() {
        coordinator.close();
    }

    @Test
    void a_commit_decision_whose_answer_was_lost_is_found_and_the_transaction_commits() {
        warehouses.stock("lost-answer", 10, 0);
        failures = log::loseTheAnswerToTheNextDecision;

        Outcome outcome = coordinator.execute(tx -> warehouses.move(tx, "lost-answer", 3));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Committed.class, committed -> assertThat(committed.isComplete()).isTrue());
        assertThat(warehouses.inA("lost-answer")).isEqualTo(7);
        assertThat(warehouses.inB("lost-answer")).isEqualTo(3);
        assertThat(warehouses.prepared()).isEmpty();
    }

    @Test
    void a_commit_decision_that_could_not_be_written_becomes_a_logged_abort() {
        warehouses.stock("not-written", 10, 0);
        failures = () -> log.refuseNextConnections(1);

        Outcome outcome = coordinator.execute(tx -> warehouses.move(tx, "not-written", 3));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.RolledBack.class,
                rolledBack -> assertThat(rolledBack.reason()).isInstanceOf(RollbackReason.DecisionNotRecorded.class));
        assertThat(warehouses.decision(outcome.transaction())).isEqualTo("abort");
        assertThat(warehouses.inA("not-written")).isEqualTo(10);
        assertThat(warehouses.prepared()).isEmpty();
    }

    @Test
    void with_the_log_unreachable_the_transaction_is_in_doubt_until_recovery_settles_it() {
        warehouses.stock("unreachable", 10, 0);
        failures = () -> log.refuseNextConnections(4);

        Outcome outcome = coordinator.execute(tx -> warehouses.move(tx, "unreachable", 3));

        assertThat(outcome).isInstanceOf(Outcome.InDoubt.class);
        assertThat(warehouses.prepared()).as("both branches wait, prepared, for a decision").hasSize(2);

        RecoveryReport report = coordinator.recover();

        assertThat(report.rolledBack()).isEqualTo(2);
        assertThat(report.isClean()).isTrue();
        assertThat(warehouses.inA("unreachable")).isEqualTo(10);
        assertThat(warehouses.inB("unreachable")).isZero();
        assertThat(warehouses.prepared()).isEmpty();
    }
}
