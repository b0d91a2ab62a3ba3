package dev.keel.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a table as a log, gap-free and without timeouts: the one reader behind the event store, the
 * outbox relay and projections.
 *
 * <p>Every row of such a table carries {@code tx_id xid8 NOT NULL DEFAULT pg_current_xact_id()} and a
 * {@code position bigint} identity, with an index on {@code (tx_id, position)}. Identity values are
 * handed out when rows are inserted, not when they commit, so a reader that follows {@code position}
 * alone skips a row whose transaction commits after a later one (or must wait out "gap" timeouts,
 * as several peers do). This reader instead
 * <ul>
 *   <li>reads only rows with {@code tx_id < pg_snapshot_xmin(pg_current_snapshot())}: every such
 *       transaction has finished, so the rows are final, and every transaction still running or yet to
 *       start has a {@code tx_id} at or above that bound; and</li>
 *   <li>orders by {@code (tx_id, position)} and resumes strictly after the last {@link LogPosition} it
 *       returned.</li>
 * </ul>
 * No row can later appear before a position already read, so nothing is skipped and nothing is read
 * twice; rolled-back rows are never visible. The price: while a transaction is open anywhere in the
 * PostgreSQL cluster (any database, including a prepared two-phase transaction), rows of transactions
 * that started after it wait until it ends. Keep transactions short.
 *
 * <pre>{@code
 * CommittedLog<String> log = CommittedLog.of("keel.events", (row, position) -> row.getString("event_type"))
 *         .columns("event_type")
 *         .build();
 * List<String> types = log.readAfter(connection, LogPosition.START, 500);
 * }</pre>
 */
public final class CommittedLog<R> {

    /** Maps one row (positioned on it) to a value; its log position is given. */
    @FunctionalInterface
    public interface RowMapper<R> {
        R map(ResultSet row, LogPosition position) throws SQLException;
    }

    /** Receives rows as they stream out of a cursor; return false to stop early. */
    @FunctionalInterface
    public interface RowHandler<R> {
        boolean accept(R row) throws SQLException;
    }

    /** Binds the parameters of an extra condition, starting at {@code index}; returns the next free index. */
    @FunctionalInterface
    public interface Binder {
        int bind(PreparedStatement statement, int index) throws SQLException;

        Binder NONE = (statement, index) -> index;
    }

    private static final String VISIBLE = "tx_id < pg_snapshot_xmin(pg_current_snapshot())";

    private final String table;
    private final String readSql;
    private final String headSql;
    private final Binder binder;
    private final RowMapper<R> mapper;

    private CommittedLog(String table, String columns, String condition, Binder binder, RowMapper<R> mapper) {
        this.table = table;
        this.binder = binder;
        this.mapper = mapper;
        String extra = condition.isBlank() ? "" : " AND (" + condition + ")";
        this.readSql = "SELECT tx_id::text::bigint AS keel_tx_id, position AS keel_position"
                + (columns.isBlank() ? "" : ", " + columns)
                + " FROM " + table
                + " WHERE (tx_id, position) > (?::text::xid8, ?) AND " + VISIBLE + extra
                + " ORDER BY tx_id, position LIMIT ?";
        this.headSql = "SELECT tx_id::text::bigint, position FROM " + table
                + " WHERE " + VISIBLE + extra
                + " ORDER BY tx_id DESC, position DESC LIMIT 1";
    }

    /** A reader of {@code schema.table}; say which further columns to select with {@link Builder#columns}. */
    public static <R> Builder<R> of(String qualifiedTable, RowMapper<R> mapper) {
        return new Builder<>(qualifiedTable, mapper);
    }

    public String table() {
        return table;
    }

    /** Up to {@code limit} rows after {@code after}, from finished transactions only, in log order. */
    public List<R> readAfter(Connection connection, LogPosition after, int limit) throws SQLException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        List<R> rows = new ArrayList<>(Math.min(limit, 1024));
        try (PreparedStatement statement = connection.prepareStatement(readSql)) {
            bindRead(statement, after, limit);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(map(result));
                }
            }
        }
        return rows;
    }

    /**
     * Streams up to {@code limit} rows after {@code after} through a server-side cursor that fetches
     * {@code fetchSize} rows at a time, for catching up over millions of rows in constant memory. The
     * connection must not be in auto-commit mode (PostgreSQL cursors live in a transaction).
     *
     * @return how many rows were handed over
     */
    public long stream(Connection connection, LogPosition after, long limit, int fetchSize, RowHandler<R> handler)
            throws SQLException {
        if (connection.getAutoCommit()) {
            throw new IllegalStateException("streaming needs a connection with auto-commit off (a cursor lives in a transaction)");
        }
        long count = 0;
        try (PreparedStatement statement = connection.prepareStatement(readSql)) {
            statement.setFetchSize(fetchSize);
            bindRead(statement, after, limit);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    count++;
                    if (!handler.accept(map(result))) {
                        break;
                    }
                }
            }
        }
        return count;
    }

    /** The position of the last row readers can see now, if there is one. */
    public Optional<LogPosition> head(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(headSql)) {
            binder.bind(statement, 1);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() ? Optional.of(new LogPosition(result.getLong(1), result.getLong(2))) : Optional.empty();
            }
        }
    }

    private void bindRead(PreparedStatement statement, LogPosition after, long limit) throws SQLException {
        statement.setString(1, Long.toString(after.txId()));
        statement.setLong(2, after.position());
        int next = binder.bind(statement, 3);
        statement.setLong(next, limit);
    }

    private R map(ResultSet result) throws SQLException {
        return mapper.map(result, new LogPosition(result.getLong(1), result.getLong(2)));
    }

    public static final class Builder<R> {
        private final String table;
        private final RowMapper<R> mapper;
        private String columns = "";
        private String condition = "";
        private Binder binder = Binder.NONE;

        private Builder(String table, RowMapper<R> mapper) {
            int dot = table == null ? -1 : table.indexOf('.');
            if (dot < 0) {
                throw new IllegalArgumentException("a committed log needs a schema-qualified table, got '" + table + "'");
            }
            this.table = SqlNames.qualified(table.substring(0, dot), table.substring(dot + 1));
            this.mapper = Objects.requireNonNull(mapper, "mapper");
        }

        /** Further columns to select (SQL text written by Keel code, never user input). */
        public Builder<R> columns(String columns) {
            this.columns = Objects.requireNonNull(columns);
            return this;
        }

        /**
         * An extra condition (SQL written by Keel code, e.g. {@code "event_type = ANY(?)"}) and the
         * binder of its parameters.
         */
        public Builder<R> where(String condition, Binder binder) {
            this.condition = Objects.requireNonNull(condition);
            this.binder = Objects.requireNonNull(binder);
            return this;
        }

        public CommittedLog<R> build() {
            return new CommittedLog<>(table, columns, condition, binder, mapper);
        }
    }
}
