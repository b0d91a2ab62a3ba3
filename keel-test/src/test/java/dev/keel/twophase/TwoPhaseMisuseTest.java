package dev.keel.twophase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Savepoint;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

import javax.sql.DataSource;

import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithInfrastructure
class TwoPhaseMisuseTest {

    private static Warehouses warehouses;
    private static TwoPhaseCoordinator coordinator;

    @BeforeAll
    static void setUp(TestDatabase db) {
        warehouses = Warehouses.create(db);
        coordinator = warehouses.coordinator("misuse-test").build();
    }

    @AfterAll
    static void tearDown() {
        coordinator.close();
    }

    @Test
    void two_participants_with_one_name_are_refused_at_start() {
        assertMisuse(() -> TwoPhaseCoordinator.builder("dup", warehouses.log.dataSource())
                        .participant(warehouses.warehouseA)
                        .participant(Participant.of("warehouse_a", warehouses.b.dataSource()))
                        .build(),
                TwoPhaseMisuse.Kind.DUPLICATE_PARTICIPANT, "two participants are named 'warehouse_a'");
    }

    @Test
    void one_data_source_under_two_names_is_refused_at_start() {
        assertMisuse(() -> TwoPhaseCoordinator.builder("dup", warehouses.log.dataSource())
                        .participant(warehouses.warehouseA)
                        .participant(Participant.of("again", warehouses.a.dataSource()))
                        .build(),
                TwoPhaseMisuse.Kind.DUPLICATE_PARTICIPANT, "use the same data source");
    }

    @Test
    void one_database_under_two_names_is_refused_at_start() {
        DataSource sameDatabase = warehouses.a.server().superuserDataSource(warehouses.a.name());

        assertMisuse(() -> TwoPhaseCoordinator.builder("dup", warehouses.log.dataSource())
                        .participant(warehouses.warehouseA)
                        .participant(Participant.of("again", sameDatabase))
                        .build(),
                TwoPhaseMisuse.Kind.DUPLICATE_PARTICIPANT, "are the same database (database " + warehouses.a.name());
    }

    @Test
    void a_participant_that_is_not_registered_is_refused_and_nothing_changes() {
        warehouses.stock("unknown", 10, 0);
        TestDatabase other = warehouses.log.newDatabase("warehouse_c");

        assertMisuse(() -> coordinator.execute(tx -> {
            tx.on(warehouses.warehouseA, connection -> Warehouses.change(connection, "unknown", -1));
            tx.on(Participant.of("warehouse_c", other.dataSource()), connection -> connection.createStatement().execute("SELECT 1"));
        }), TwoPhaseMisuse.Kind.UNKNOWN_PARTICIPANT, "register it with TwoPhaseCoordinator.builder(...).participant(...)");

        assertThat(warehouses.inA("unknown")).isEqualTo(10);
        assertThat(warehouses.prepared()).isEmpty();
    }

    @Test
    void a_registered_name_with_another_data_source_is_not_the_registered_participant() {
        assertMisuse(() -> coordinator.execute(tx -> tx.on(Participant.of("warehouse_a", warehouses.b.dataSource()), connection -> {
        })), TwoPhaseMisuse.Kind.UNKNOWN_PARTICIPANT, "participant 'warehouse_a' is not registered");
    }

    @Test
    void a_participant_connection_already_in_a_transaction_is_refused_and_that_transaction_left_alone() throws SQLException {
        warehouses.stock("busy-connection", 10, 0);
        try (Connection inTransaction = warehouses.a.dataSource().getConnection()) {
            inTransaction.setAutoCommit(false);
            Warehouses.change(inTransaction, "busy-connection", -2);
            Participant bound = Participant.of("bound", new BoundDataSource(inTransaction));

            try (TwoPhaseCoordinator withBound = TwoPhaseCoordinator.builder("bound", warehouses.log.dataSource())
                    .participant(bound).participant(warehouses.warehouseB).meterRegistry(new SimpleMeterRegistry()).build()) {
                assertMisuse(() -> withBound.execute(tx -> tx.on(bound, connection -> Warehouses.change(connection, "busy-connection", -5))),
                        TwoPhaseMisuse.Kind.ALREADY_IN_TRANSACTION, "is already in a transaction (open)");
            }

            // the caller's own transaction is still there, with only its own change, and can commit
            inTransaction.commit();
        }
        assertThat(warehouses.inA("busy-connection")).isEqualTo(8);
    }

    @Test
    void committing_a_participant_connection_in_the_work_is_refused_and_everything_rolls_back() {
        warehouses.stock("control", 10, 0);

        assertMisuse(() -> coordinator.execute(tx -> {
            warehouses.move(tx, "control", 1);
            tx.on(warehouses.warehouseB, Connection::commit);
        }), TwoPhaseMisuse.Kind.TRANSACTION_CONTROL, "Connection.commit() is not allowed");
        assertMisuse(() -> coordinator.execute(tx -> tx.on(warehouses.warehouseA, connection -> connection.setAutoCommit(true))),
                TwoPhaseMisuse.Kind.TRANSACTION_CONTROL, "Connection.setAutoCommit()");
        assertMisuse(() -> coordinator.execute(tx -> tx.on(warehouses.warehouseA, Connection::rollback)),
                TwoPhaseMisuse.Kind.TRANSACTION_CONTROL, "Connection.rollback()");
        assertMisuse(() -> coordinator.execute(tx -> tx.on(warehouses.warehouseA, Connection::close)),
                TwoPhaseMisuse.Kind.TRANSACTION_CONTROL, "Connection.close()");

        assertThat(warehouses.inA("control")).isEqualTo(10);
        assertThat(warehouses.inB("control")).isZero();
        assertThat(warehouses.prepared()).isEmpty();
    }

    @Test
    void rolling_back_to_a_savepoint_undoes_part_of_a_branch() {
        warehouses.stock("savepoint", 10, 0);

        Outcome outcome = coordinator.execute(tx -> {
            warehouses.move(tx, "savepoint", 1);
            tx.on(warehouses.warehouseA, connection -> {
                Savepoint beforeSecondThoughts = connection.setSavepoint();
                Warehouses.change(connection, "savepoint", -5);
                connection.rollback(beforeSecondThoughts);
            });
        });

        assertThat(outcome.isCommitted()).isTrue();
        assertThat(warehouses.inA("savepoint")).isEqualTo(9);
    }

    @Test
    void a_work_that_ends_its_transaction_in_sql_is_reported_and_the_others_are_rolled_back() {
        warehouses.stock("sql-commit", 10, 0);

        assertMisuse(() -> coordinator.execute(tx -> {
            tx.on(warehouses.warehouseB, connection -> Warehouses.change(connection, "sql-commit", 1));
            tx.on(warehouses.warehouseA, connection -> connection.createStatement().execute("COMMIT"));
        }), TwoPhaseMisuse.Kind.TRANSACTION_ENDED_IN_SQL, "ended its transaction itself");

        assertThat(warehouses.inB("sql-commit")).isZero();
        assertThat(warehouses.prepared()).isEmpty();
    }

    @Test
    void a_transaction_cannot_be_used_after_its_work_returned() {
        warehouses.stock("later", 10, 0);
        AtomicReference<TwoPhaseTransaction> kept = new AtomicReference<>();
        AtomicReference<Connection> keptConnection = new AtomicReference<>();

        coordinator.execute(tx -> {
            kept.set(tx);
            tx.on(warehouses.warehouseA, keptConnection::set);
        });

        assertMisuse(() -> kept.get().on(warehouses.warehouseA, connection -> Warehouses.change(connection, "later", -1)),
                TwoPhaseMisuse.Kind.TRANSACTION_ENDED, "has ended its work phase");
        assertMisuse(() -> keptConnection.get().createStatement(), TwoPhaseMisuse.Kind.TRANSACTION_ENDED, "cannot be used any more");
        assertThat(warehouses.inA("later")).isEqualTo(10);
    }

    @Test
    void a_transaction_belongs_to_the_thread_running_its_work() {
        assertMisuse(() -> coordinator.execute(tx -> CompletableFuture.runAsync(
                () -> tx.on(warehouses.warehouseA, connection -> { })).join()),
                TwoPhaseMisuse.Kind.OTHER_THREAD, "from a thread other than the one running its work");
    }

    @Test
    void a_closed_coordinator_refuses_new_transactions() {
        TwoPhaseCoordinator closed = warehouses.coordinator("closed").build();
        closed.close();

        assertMisuse(() -> closed.execute(tx -> { }), TwoPhaseMisuse.Kind.COORDINATOR_CLOSED, "is closed");
    }

    private static void assertMisuse(ThrowingCallable call, TwoPhaseMisuse.Kind kind, String message) {
        assertThatThrownBy(call)
                .satisfies(thrown -> {
                    Throwable misuse = thrown instanceof java.util.concurrent.CompletionException ? thrown.getCause() : thrown;
                    assertThat(misuse).isInstanceOfSatisfying(TwoPhaseMisuse.class, e -> {
                        assertThat(e.kind()).isEqualTo(kind);
                        assertThat(e.isTransient()).isFalse();
                        assertThat(e.getMessage()).contains(message);
                    });
                });
    }

    /** A data source bound to one connection, as frameworks hand out the connection of a running transaction. */
    private record BoundDataSource(Connection connection) implements DataSource {

        @Override
        public Connection getConnection() {
            // closing it must not close the caller's connection
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            return null;
                        }
                        try {
                            return method.invoke(connection, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String username, String password) {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
