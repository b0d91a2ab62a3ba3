package dev.keel.postgres;

import java.sql.SQLException;

import dev.keel.core.FailureClassifier;
import dev.keel.core.KeelException;
import dev.keel.core.NonTransientException;
import dev.keel.core.TransientException;

/**
 * Turns a {@link SQLException} into a Keel exception that says whether retrying can help (a
 * deadlock, a lost connection, a server restarting) or not (a constraint violated, a syntax error),
 * keeping the SQLSTATE and the original exception as the cause.
 */
public final class SqlFailure {

    private SqlFailure() {
    }

    /** A failure worth retrying, with its SQLSTATE. */
    public static final class Transient extends TransientException {
        private final String sqlState;

        Transient(String message, SQLException cause) {
            super(message, cause);
            this.sqlState = cause.getSQLState() == null ? "" : cause.getSQLState();
        }

        public String sqlState() {
            return sqlState;
        }
    }

    /** A failure retrying cannot fix, with its SQLSTATE. */
    public static final class Permanent extends NonTransientException {
        private final String sqlState;

        Permanent(String message, SQLException cause) {
            super(message, cause);
            this.sqlState = cause.getSQLState() == null ? "" : cause.getSQLState();
        }

        public String sqlState() {
            return sqlState;
        }
    }

    /**
     * Wraps the exception; {@code context} says what was being done ("append to stream order-7").
     * The message is {@code "<context> failed: <PostgreSQL's message> [SQLSTATE]"}.
     */
    public static KeelException translate(String context, SQLException failure) {
        String message = context + " failed: " + firstLine(failure.getMessage())
                + (failure.getSQLState() == null ? "" : " [" + failure.getSQLState() + "]");
        return FailureClassifier.defaults().isTransient(failure)
                ? new Transient(message, failure)
                : new Permanent(message, failure);
    }

    /** Whether a SQL failure is a unique-constraint violation (23505). */
    public static boolean isUniqueViolation(SQLException failure) {
        return "23505".equals(failure.getSQLState());
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "(no message)";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
