package dev.keel.twophase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import dev.keel.embedded.Durability;
import dev.keel.embedded.EmbeddedPostgres;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A participant on a server with {@code max_prepared_transactions = 0} cannot vote: caught before any work. */
@WithInfrastructure
class PreparedTransactionsDisabledTest {

    @TempDir
    static Path directory;
    private static EmbeddedPostgres server;
    private static Participant noPrepares;

    @BeforeAll
    static void startServerWithoutPreparedTransactions() {
        server = start(0);
        server.createDatabase("no_prepares");
        noPrepares = Participant.of("no_prepares", server.superuserDataSource("no_prepares"));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void a_participant_that_cannot_prepare_stops_start_up_with_how_to_fix_it_and_nothing_is_created(TestDatabase db) throws SQLException {
        TestDatabase log = db.newDatabase("log");

        assertThatThrownBy(() -> TwoPhaseCoordinator.builder("no-prepares", log.dataSource()).participant(noPrepares).build())
                .isInstanceOfSatisfying(TwoPhaseMisuse.class, e -> {
                    assertThat(e.kind()).isEqualTo(TwoPhaseMisuse.Kind.PREPARED_TRANSACTIONS_DISABLED);
                    assertThat(e.participant()).contains("no_prepares");
                    assertThat(e.getMessage())
                            .contains("has max_prepared_transactions = 0")
                            .contains("database no_prepares at ")
                            .contains("ALTER SYSTEM SET max_prepared_transactions")
                            .contains("restart the server");
                });

        assertThat(decisionLogExists(log.dataSource())).isFalse();
    }

    @Test
    void a_participant_unreachable_at_start_up_is_checked_before_its_first_work(TestDatabase db) {
        int port = server.port();
        server.close();
        TwoPhaseCoordinator coordinator;
        try {
            coordinator = TwoPhaseCoordinator.builder("no-prepares-later", db.dataSource())
                    .participant(noPrepares)
                    .meterRegistry(new SimpleMeterRegistry())
                    .build();
        } finally {
            server = start(port);
        }
        AtomicBoolean workRan = new AtomicBoolean();

        try (coordinator) {
            assertThatThrownBy(() -> coordinator.execute(tx -> tx.on(noPrepares, connection -> workRan.set(true))))
                    .isInstanceOfSatisfying(TwoPhaseMisuse.class,
                            e -> assertThat(e.kind()).isEqualTo(TwoPhaseMisuse.Kind.PREPARED_TRANSACTIONS_DISABLED));
        }
        assertThat(workRan).isFalse();
    }

    private static EmbeddedPostgres start(int port) {
        return EmbeddedPostgres.builder()
                .dataDirectory(directory)
                .port(port)
                .durability(Durability.FAST)
                .serverSetting("max_prepared_transactions", "0")
                .start();
    }

    private static boolean decisionLogExists(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             ResultSet row = connection.createStatement().executeQuery("SELECT to_regclass('keel.twophase_decisions') IS NOT NULL")) {
            row.next();
            return row.getBoolean(1);
        }
    }
}
