package dev.keel.twophase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import dev.keel.embedded.Durability;
import dev.keel.embedded.EmbeddedPostgres;
import dev.keel.postgres.SqlFailure;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Warehouse B lives on a server of its own, which is shut down in the middle of a move and started
 * again later: a participant crash. Its prepared transactions survive the restart; its unprepared work
 * does not. The coordinator's recovery loop keeps trying until the participant is back.
 */
@WithInfrastructure
class ParticipantCrashTest {

    @TempDir
    static Path directory;
    private static EmbeddedPostgres serverB;
    private static int portB;
    private static TestDatabase log;
    private static TestDatabase a;
    private static Participant warehouseA;
    private static Participant warehouseB;

    /** When warehouse B's server goes down. */
    enum When {
        BEFORE_ITS_VOTE(ProtocolStep.PREPARING, false),
        AFTER_ITS_VOTE(ProtocolStep.PREPARED, true),
        AFTER_THE_DECISION(ProtocolStep.DECIDED, true);

        final ProtocolStep step;
        final boolean commits;

        When(ProtocolStep step, boolean commits) {
            this.step = step;
            this.commits = commits;
        }

        boolean isNow(ProtocolPoint point) {
            return point.step() == step && (!step.perParticipant() || point.participant().orElseThrow().equals("warehouse_b"));
        }
    }

    @BeforeAll
    static void setUp(TestDatabase db) throws SQLException {
        log = db;
        serverB = startB(0);
        portB = serverB.port();
        serverB.createDatabase("warehouse_b");
        DataSource b = serverB.superuserDataSource("warehouse_b");
        try (Connection connection = b.getConnection()) {
            connection.createStatement().execute("CREATE TABLE stock (sku text PRIMARY KEY, quantity int NOT NULL CHECK (quantity >= 0))");
        }
        a = db.newDatabase("warehouse_a");
        a.execute("CREATE TABLE stock (sku text PRIMARY KEY, quantity int NOT NULL CHECK (quantity >= 0))");
        warehouseA = Participant.of("warehouse_a", a.dataSource());
        warehouseB = Participant.of("warehouse_b", b);
    }

    @AfterAll
    static void tearDown() {
        serverB.close();
    }

    @ParameterizedTest
    @EnumSource(When.class)
    void a_participant_that_crashes_is_finished_the_way_the_log_says_once_it_is_back(When when) throws SQLException {
        String sku = "crash-" + when.ordinal();
        stock(warehouseA, sku, 10);
        stock(warehouseB, sku, 0);

        try (TwoPhaseCoordinator coordinator = TwoPhaseCoordinator.builder("participant-crash-" + when.ordinal(), log.dataSource())
                .participant(warehouseA)
                .participant(warehouseB)
                .meterRegistry(new SimpleMeterRegistry())
                .recoveryInterval(Duration.ofMillis(100))
                .presumeAbortAfter(Duration.ZERO)
                .protocolHook(point -> {
                    if (when.isNow(point)) {
                        serverB.close();
                    }
                })
                .start()) {

            Outcome outcome = coordinator.execute(tx -> {
                tx.on(warehouseA, connection -> Warehouses.change(connection, sku, -4));
                tx.on(warehouseB, connection -> Warehouses.change(connection, sku, 4));
            });

            if (when.commits) {
                assertThat(outcome).isInstanceOfSatisfying(Outcome.Committed.class,
                        committed -> assertThat(committed.pending()).containsExactly("warehouse_b"));
                assertThat(Warehouses.quantity(warehouseA.dataSource(), sku)).as("committed where it could be").isEqualTo(6);
            } else {
                assertThat(outcome).isInstanceOfSatisfying(Outcome.RolledBack.class, rolledBack ->
                        assertThat(rolledBack.reason()).isInstanceOfSatisfying(RollbackReason.VoteFailed.class,
                                vote -> assertThat(vote.participant()).isEqualTo("warehouse_b")));
            }

            serverB = startB(portB);

            await().atMost(Duration.ofSeconds(30)).until(() -> coordinator.recover().isClean()
                    && Warehouses.preparedIn(warehouseB.dataSource(), "warehouse_b").isEmpty());
        }
        assertThat(List.of(Warehouses.quantity(warehouseA.dataSource(), sku), Warehouses.quantity(warehouseB.dataSource(), sku)))
                .as("all or nothing")
                .isEqualTo(when.commits ? List.of(6, 4) : List.of(10, 0));
        assertThat(Warehouses.preparedIn(log.dataSource(), a.name())).isEmpty();
    }

    @Test
    void while_a_participant_is_down_a_transaction_that_needs_it_fails_at_once_with_a_transient_error_and_changes_nothing()
            throws SQLException {
        stock(warehouseA, "down", 10);
        stock(warehouseB, "down", 0);
        serverB.close();
        try (TwoPhaseCoordinator coordinator = TwoPhaseCoordinator.builder("participant-down", log.dataSource())
                .participant(warehouseA)
                .participant(warehouseB)
                .meterRegistry(new SimpleMeterRegistry())
                .build()) {
            assertThatThrownBy(() -> coordinator.execute(tx -> {
                tx.on(warehouseA, connection -> Warehouses.change(connection, "down", -4));
                tx.on(warehouseB, connection -> Warehouses.change(connection, "down", 4));
            })).isInstanceOfSatisfying(SqlFailure.Transient.class,
                    e -> assertThat(e.getMessage()).contains("connecting to participant 'warehouse_b'"));
        } finally {
            serverB = startB(portB);
        }
        assertThat(Warehouses.quantity(warehouseA.dataSource(), "down")).isEqualTo(10);
        assertThat(Warehouses.quantity(warehouseB.dataSource(), "down")).isZero();
    }

    private static void stock(Participant participant, String sku, int quantity) throws SQLException {
        try (Connection connection = participant.dataSource().getConnection()) {
            connection.createStatement().execute("INSERT INTO stock VALUES ('" + sku + "', " + quantity + ")");
        }
    }

    private static EmbeddedPostgres startB(int port) {
        return EmbeddedPostgres.builder().dataDirectory(directory).port(port).durability(Durability.FAST).start();
    }
}
