package dev.keel.eventstore.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import dev.keel.eventstore.CheckpointStore;
import dev.keel.postgres.LogPosition;
import dev.keel.postgres.Transactions;

/** Subscription checkpoints in the {@code subscription_checkpoints} table beside the events. */
final class PostgresCheckpointStore implements CheckpointStore {

    private final DataSource dataSource;
    private final String loadSql;
    private final String saveSql;

    PostgresCheckpointStore(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.loadSql = "SELECT tx_id, position FROM " + schema + ".subscription_checkpoints WHERE subscription = ?";
        this.saveSql = "INSERT INTO " + schema + ".subscription_checkpoints (subscription, tx_id, position) VALUES (?, ?, ?)"
                + " ON CONFLICT (subscription) DO UPDATE SET tx_id = EXCLUDED.tx_id, position = EXCLUDED.position,"
                + " updated_at = clock_timestamp()";
    }

    @Override
    public Optional<LogPosition> load(String subscription) {
        Objects.requireNonNull(subscription, "subscription");
        return Transactions.withConnection(dataSource, "load the checkpoint of " + subscription, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(loadSql)) {
                statement.setString(1, subscription);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? Optional.of(new LogPosition(row.getLong(1), row.getLong(2))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void save(String subscription, LogPosition position) {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(position, "position");
        Transactions.withConnection(dataSource, "save the checkpoint of " + subscription, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(saveSql)) {
                statement.setString(1, subscription);
                statement.setLong(2, position.txId());
                statement.setLong(3, position.position());
                return statement.executeUpdate();
            }
        });
    }
}
