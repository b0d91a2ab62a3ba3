package dev.keel.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

import javax.sql.DataSource;

/**
 * Runs work in one database transaction: commit when it returns, roll back when it throws. SQL
 * failures come out as {@link SqlFailure} (transient or not); exceptions the work throws itself (a
 * business rejection, a conflict) come out unchanged after the rollback.
 *
 * <pre>{@code
 * long count = Transactions.inTransaction(dataSource, "count orders", connection -> { ... });
 * }</pre>
 */
public final class Transactions {

    private Transactions() {
    }

    public static <T> T inTransaction(DataSource dataSource, String what, SqlWork<T> work) {
        Objects.requireNonNull(work, "work");
        try (Connection connection = dataSource.getConnection()) {
            return inTransaction(connection, what, work);
        } catch (SQLException e) {
            throw SqlFailure.translate(what, e);
        }
    }

    /**
     * Runs work in a transaction on a connection the caller owns (and closes). The connection's
     * auto-commit mode is restored afterwards.
     */
    public static <T> T inTransaction(Connection connection, String what, SqlWork<T> work) {
        boolean autoCommit;
        try {
            autoCommit = connection.getAutoCommit();
            if (autoCommit) {
                connection.setAutoCommit(false);
            }
        } catch (SQLException e) {
            throw SqlFailure.translate(what, e);
        }
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException e) {
            rollbackQuietly(connection, e);
            throw SqlFailure.translate(what, e);
        } catch (RuntimeException | Error e) {
            rollbackQuietly(connection, e);
            throw e;
        } finally {
            if (autoCommit) {
                try {
                    connection.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the connection is broken; the pool will find out and discard it
                }
            }
        }
    }

    /** Runs a statement-at-a-time piece of work with auto-commit, for reads that need no transaction. */
    public static <T> T withConnection(DataSource dataSource, String what, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw SqlFailure.translate(what, e);
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }
}
