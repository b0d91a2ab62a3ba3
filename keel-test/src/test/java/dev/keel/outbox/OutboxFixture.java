package dev.keel.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

/** An outbox in a schema of its own, and helpers to write messages in transactions. */
final class OutboxFixture {

    final DataSource dataSource;
    final String schema;
    final String topic;
    final OutboxWriter writer;

    OutboxFixture(DataSource dataSource, String topic) {
        this.dataSource = dataSource;
        this.schema = "outbox_" + UUID.randomUUID().toString().substring(0, 8);
        this.topic = topic;
        OutboxWriter.migrate(dataSource, schema);
        this.writer = OutboxWriter.builder(schema).source("/test/orders").route("Order", topic).build();
    }

    /** One committed transaction with one message per key, payload {@code {"n": n}}. */
    void write(int n, String... keys) {
        List<OutboxMessage> messages = new ArrayList<>();
        for (String key : keys) {
            messages.add(message(key, n));
        }
        inTransaction(connection -> writer.write(connection, messages));
    }

    /** {@code transactions} committed transactions, each with one message for every one of {@code keys} keys. */
    void writeMany(int transactions, int keys) {
        for (int t = 1; t <= transactions; t++) {
            List<OutboxMessage> messages = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                messages.add(message("key-" + k, t));
            }
            inTransaction(connection -> writer.write(connection, messages));
        }
    }

    OutboxMessage message(String key, int n) {
        return OutboxMessage.of("Order", key, "test.OrderChanged", Map.of("n", n), Clock.systemUTC());
    }

    interface Work {
        void run(Connection connection) throws SQLException;
    }

    void inTransaction(Work work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            work.run(connection);
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String sql) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long outboxRows() {
        return count("SELECT count(*) FROM " + schema + ".outbox");
    }
}
