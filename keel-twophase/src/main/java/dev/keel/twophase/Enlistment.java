package dev.keel.twophase;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.postgresql.util.PSQLException;

/**
 * One participant's branch of one transaction: its connection, held from the first use of the
 * participant until phase two is over, and how far the branch has got. Protocol steps of different
 * branches run on different threads, so the state is volatile.
 */
final class Enlistment {

    enum State {
        /** Working; not prepared. */
        ACTIVE,
        /** Prepared: voted yes. */
        PREPARED,
        /** Refused to prepare; the server rolled the branch back. */
        REFUSED,
        /** Unknown whether it prepared: the connection broke or the vote timed out. */
        UNCERTAIN,
        /** The work ended the transaction itself in SQL; there is nothing to prepare. */
        ENDED_IN_SQL,
        COMMITTED,
        /** Committing failed; recovery will commit it. */
        PENDING,
        ROLLED_BACK
    }

    private final Participant participant;
    private final String gid;
    private final Connection connection;
    private final Connection fenced;
    private volatile State state = State.ACTIVE;
    private volatile String sqlState = "";
    private volatile String problem = "";

    Enlistment(Participant participant, String gid, Connection connection, Connection fenced) {
        this.participant = participant;
        this.gid = gid;
        this.connection = connection;
        this.fenced = fenced;
    }

    String name() {
        return participant.name();
    }

    Participant participant() {
        return participant;
    }

    String gid() {
        return gid;
    }

    Connection fenced() {
        return fenced;
    }

    State state() {
        return state;
    }

    void state(State next) {
        state = next;
    }

    String sqlState() {
        return sqlState;
    }

    String problem() {
        return problem;
    }

    void refused(String sqlState, String problem) {
        this.sqlState = sqlState == null ? "" : sqlState;
        this.problem = problem;
        this.state = State.REFUSED;
    }

    void uncertain(String sqlState, String problem) {
        this.sqlState = sqlState == null ? "" : sqlState;
        this.problem = problem;
        this.state = State.UNCERTAIN;
    }

    TransactionState transactionState() throws SQLException {
        return connection.unwrap(BaseConnection.class).getTransactionState();
    }

    /** Votes: {@code PREPARE TRANSACTION}; afterwards the connection is in auto-commit mode, ready for phase two. */
    void prepare() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PREPARE TRANSACTION '" + gid + "'");
        }
        state = State.PREPARED;
        // the session is no longer in a transaction, so this sends nothing; COMMIT PREPARED and
        // ROLLBACK PREPARED cannot run inside a transaction block
        connection.setAutoCommit(true);
    }

    void commitPrepared() throws SQLException {
        finishPrepared(connection, gid, true);
    }

    void rollbackPrepared() throws SQLException {
        finishPrepared(connection, gid, false);
    }

    static void finishPrepared(Connection connection, String gid, boolean commit) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.setAutoCommit(true);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute((commit ? "COMMIT PREPARED '" : "ROLLBACK PREPARED '") + gid + "'");
        }
    }

    /** Rolls back an unprepared branch; a connection that cannot is dropped, which rolls back too. */
    void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException e) {
            drop();
        }
    }

    /** Asks the server to cancel what the branch is running (a prepare stuck on a lock, say). */
    void cancelQuietly() {
        try {
            connection.unwrap(PGConnection.class).cancelQuery();
        } catch (SQLException | RuntimeException ignored) {
            // best effort: dropping the connection follows
        }
    }

    /**
     * Closes the socket at once, without a protocol message and without waiting for a thread blocked
     * on it: what the server sees when the coordinator's process dies.
     */
    void drop() {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException ignored) {
            // already closed
        }
    }

    /** Gives the connection back (to its pool); a dropped one is discarded by the pool. */
    void release() {
        try {
            connection.close();
        } catch (SQLException | RuntimeException ignored) {
            // a broken connection: the pool discards it
        }
    }

    /**
     * Whether a failure is the server's answer to the statement, so the statement surely did not take
     * effect; not a lost connection, and not a session being terminated (57P01..57P05), which the
     * server may report for a statement it had already finished.
     */
    static boolean isServerError(SQLException failure) {
        String state = failure.getSQLState();
        return failure instanceof PSQLException psql && psql.getServerErrorMessage() != null
                && state != null && !state.startsWith("08") && !state.startsWith("57P");
    }

    /** {@code 42704}: no prepared transaction of that name (it was finished already, or never prepared). */
    static boolean isUnknownGid(SQLException failure) {
        return "42704".equals(failure.getSQLState());
    }

    static String firstLine(String text) {
        if (text == null) {
            return "(no message)";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
