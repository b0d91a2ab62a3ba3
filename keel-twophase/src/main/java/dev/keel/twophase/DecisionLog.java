package dev.keel.twophase;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import dev.keel.postgres.SqlNames;

/**
 * The coordinator's durable decision log: one row per decided transaction in
 * {@code <schema>.twophase_decisions}. Presumed abort: a transaction without a row was never
 * committed. Writing a decision is an insert that loses to an existing row, so the coordinator's
 * commit and recovery's abort cannot both be recorded for one transaction.
 */
final class DecisionLog {

    enum Decision {
        COMMIT("commit"), ABORT("abort");

        final String sql;

        Decision(String sql) {
            this.sql = sql;
        }

        static Decision of(String sql) {
            return sql.equals("commit") ? COMMIT : ABORT;
        }
    }

    record Entry(UUID transaction, Decision decision, List<String> participants, boolean finished) {
    }

    private final DataSource dataSource;
    private final int networkTimeoutMillis;
    private final String decide;
    private final String read;
    private final String unfinished;
    private final String some;
    private final String finish;
    private final String prune;

    DecisionLog(DataSource dataSource, String schema, Duration networkTimeout) {
        this.dataSource = dataSource;
        this.networkTimeoutMillis = Math.toIntExact(networkTimeout.toMillis());
        String table = SqlNames.qualified(schema, "twophase_decisions");
        // The decision must survive a crash of the log's server whatever synchronous_commit the
        // server or role defaults to: the setting is raised for this one statement's transaction
        // (set_config(..., true) lasts until its commit), which keeps the write a single round trip.
        this.decide = "WITH durable AS (SELECT set_config('synchronous_commit', 'on', true))"
                + " INSERT INTO " + table + " (coordinator, transaction_id, decision, participants)"
                + " SELECT ?, ?, ?, ? FROM durable ON CONFLICT (coordinator, transaction_id) DO NOTHING";
        this.read = "SELECT decision FROM " + table + " WHERE coordinator = ? AND transaction_id = ?";
        this.unfinished = "SELECT transaction_id, decision, participants FROM " + table + " WHERE coordinator = ? AND finished_at IS NULL";
        this.some = "SELECT transaction_id, decision, participants, finished_at IS NOT NULL FROM " + table
                + " WHERE coordinator = ? AND transaction_id = ANY (?)";
        // Only an optimisation (recovery would find the transaction finished anyway), so it need not
        // wait for the disk.
        this.finish = "WITH lazy AS (SELECT set_config('synchronous_commit', 'off', true))"
                + " UPDATE " + table + " SET finished_at = now() FROM lazy"
                + " WHERE coordinator = ? AND transaction_id = ANY (?) AND finished_at IS NULL";
        this.prune = "DELETE FROM " + table + " WHERE coordinator = ? AND finished_at < now() - make_interval(secs => ?)";
    }

    /**
     * Records a decision unless the transaction has one already, durably, and returns the one that
     * stands.
     */
    Decision decide(TransactionId transaction, Decision decision, List<String> participants) throws SQLException {
        try (Connection connection = connect()) {
            int inserted;
            try (PreparedStatement insert = connection.prepareStatement(decide)) {
                insert.setString(1, transaction.coordinator());
                insert.setObject(2, transaction.value());
                insert.setString(3, decision.sql);
                insert.setArray(4, textArray(connection, participants));
                inserted = insert.executeUpdate();
            }
            if (inserted == 1) {
                return decision;
            }
            return read(connection, transaction).orElseThrow(
                    () -> new SQLException("the decision of " + transaction + " was neither inserted nor found"));
        }
    }

    Optional<Decision> read(TransactionId transaction) throws SQLException {
        try (Connection connection = connect()) {
            return read(connection, transaction);
        }
    }

    private Optional<Decision> read(Connection connection, TransactionId transaction) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(read)) {
            select.setString(1, transaction.coordinator());
            select.setObject(2, transaction.value());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(Decision.of(rows.getString(1))) : Optional.empty();
            }
        }
    }

    /** The decisions of a coordinator not yet marked finished, by transaction. */
    Map<UUID, Entry> unfinished(String coordinator) throws SQLException {
        Map<UUID, Entry> entries = new HashMap<>();
        try (Connection connection = connect(); PreparedStatement select = connection.prepareStatement(unfinished)) {
            select.setString(1, coordinator);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    UUID id = rows.getObject(1, UUID.class);
                    entries.put(id, new Entry(id, Decision.of(rows.getString(2)), strings(rows.getArray(3)), false));
                }
            }
        }
        return entries;
    }

    /** The decisions, finished or not, of these transactions of a coordinator. */
    Map<UUID, Entry> find(String coordinator, Collection<UUID> transactions) throws SQLException {
        Map<UUID, Entry> entries = new HashMap<>();
        if (transactions.isEmpty()) {
            return entries;
        }
        try (Connection connection = connect(); PreparedStatement select = connection.prepareStatement(some)) {
            select.setString(1, coordinator);
            select.setArray(2, connection.createArrayOf("uuid", transactions.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    UUID id = rows.getObject(1, UUID.class);
                    entries.put(id, new Entry(id, Decision.of(rows.getString(2)), strings(rows.getArray(3)), rows.getBoolean(4)));
                }
            }
        }
        return entries;
    }

    int markFinished(String coordinator, Collection<UUID> transactions) throws SQLException {
        if (transactions.isEmpty()) {
            return 0;
        }
        try (Connection connection = connect(); PreparedStatement update = connection.prepareStatement(finish)) {
            update.setString(1, coordinator);
            update.setArray(2, connection.createArrayOf("uuid", transactions.toArray()));
            return update.executeUpdate();
        }
    }

    /** Deletes decisions finished longer ago than the retention. */
    int prune(String coordinator, Duration retention) throws SQLException {
        try (Connection connection = connect(); PreparedStatement delete = connection.prepareStatement(prune)) {
            delete.setString(1, coordinator);
            delete.setDouble(2, retention.toMillis() / 1000.0);
            return delete.executeUpdate();
        }
    }

    private Connection connect() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setNetworkTimeout(Runnable::run, networkTimeoutMillis);
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private static Array textArray(Connection connection, List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    private static List<String> strings(Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        List<String> strings = new ArrayList<>(values.length);
        for (Object value : values) {
            strings.add((String) value);
        }
        return strings;
    }
}
