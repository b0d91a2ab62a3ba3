package dev.keel.outbox.crash;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import dev.keel.messaging.Envelope;

/**
 * The effects of a consumer, one row per handled message, with no unique constraint: a message
 * handled twice shows up twice, so the tests can see it.
 */
final class Ledger {

    private final DataSource dataSource;
    private final String table;

    Ledger(DataSource dataSource, String table) {
        this.dataSource = dataSource;
        this.table = table;
    }

    void create() {
        execute("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, message_id uuid NOT NULL, key text NOT NULL, seq bigint NOT NULL)");
    }

    static void record(Connection connection, String table, Envelope message) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (message_id, key, seq) VALUES (?, ?, ?)")) {
            insert.setObject(1, message.id().value());
            insert.setString(2, message.key());
            insert.setLong(3, message.sequence().orElseThrow());
            insert.executeUpdate();
        }
    }

    long effects() {
        return single("SELECT count(*) FROM " + table);
    }

    /** Messages with more than one effect. */
    long duplicates() {
        return single("SELECT count(*) - count(DISTINCT message_id) FROM " + table);
    }

    /** Each key's sequences in the order their effects were committed. */
    Map<String, List<Long>> sequencesByKey() {
        Map<String, List<Long>> byKey = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT key, seq FROM " + table + " ORDER BY id");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                byKey.computeIfAbsent(rows.getString(1), key -> new ArrayList<>()).add(rows.getLong(2));
            }
            return byKey;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long single(String sql) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql);
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void execute(String sql) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 1..n for each of the keys: what every key's effects must look like. */
    static Map<String, List<Long>> inOrder(int keys, int perKey) {
        Map<String, List<Long>> expected = new TreeMap<>();
        for (int k = 0; k < keys; k++) {
            List<Long> sequences = new ArrayList<>();
            for (long s = 1; s <= perKey; s++) {
                sequences.add(s);
            }
            expected.put("key-" + k, sequences);
        }
        return expected;
    }
}
