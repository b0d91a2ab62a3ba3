package dev.keel.outbox.crash;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.keel.outbox.OutboxMessage;
import dev.keel.outbox.OutboxWriter;

final class CrashFixtures {

    private CrashFixtures() {
    }

    /** {@code perKey} committed transactions, each with one message for each of {@code keys} keys. */
    static void writeBacklog(DataSource dataSource, OutboxWriter writer, int keys, int perKey) {
        for (int n = 1; n <= perKey; n++) {
            List<OutboxMessage> messages = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                messages.add(OutboxMessage.of("Order", "key-" + k, "test.OrderChanged", Map.of("n", n), Clock.systemUTC()));
            }
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                writer.write(connection, messages);
                connection.commit();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static long single(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql);
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
