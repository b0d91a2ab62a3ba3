package dev.keel.eventstore.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import dev.keel.eventstore.snapshot.Snapshot;
import dev.keel.eventstore.snapshot.SnapshotStore;
import dev.keel.postgres.Transactions;

/**
 * Snapshots in the {@code snapshots} table beside the events. A snapshot is kept only while the event
 * it follows exists: saving share-locks that event's row, so a concurrent deletion of the stream waits
 * for the save and then removes the snapshot with the stream (a deleted stream leaves no state behind).
 */
final class PostgresSnapshotStore implements SnapshotStore {

    private final DataSource dataSource;
    private final String saveSql;
    private final String loadSql;

    PostgresSnapshotStore(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.saveSql = """
                WITH live AS (
                    SELECT 1 FROM %1$s.events WHERE stream_id = ? AND stream_version = ? FOR SHARE
                )
                INSERT INTO %1$s.snapshots (stream_id, stream_version, state_type, schema_version, state, taken_at)
                SELECT ?, ?, ?, ?, ?::jsonb, ? FROM live
                ON CONFLICT (stream_id, state_type) DO UPDATE
                    SET stream_version = EXCLUDED.stream_version, schema_version = EXCLUDED.schema_version,
                        state = EXCLUDED.state, taken_at = EXCLUDED.taken_at
                    WHERE snapshots.stream_version < EXCLUDED.stream_version
                """.formatted(schema);
        this.loadSql = "SELECT stream_version, schema_version, state, taken_at FROM " + schema
                + ".snapshots WHERE stream_id = ? AND state_type = ?";
    }

    @Override
    public void save(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        Transactions.withConnection(dataSource, "save a snapshot of " + snapshot.streamId(), connection -> {
            try (PreparedStatement statement = connection.prepareStatement(saveSql)) {
                statement.setString(1, snapshot.streamId());
                statement.setLong(2, snapshot.streamVersion());
                statement.setString(3, snapshot.streamId());
                statement.setLong(4, snapshot.streamVersion());
                statement.setString(5, snapshot.stateType());
                statement.setInt(6, snapshot.schemaVersion());
                statement.setString(7, snapshot.state());
                statement.setTimestamp(8, Timestamp.from(snapshot.takenAt()));
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Snapshot> load(String streamId, String stateType) {
        return Transactions.withConnection(dataSource, "load the snapshot of " + streamId, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(loadSql)) {
                statement.setString(1, streamId);
                statement.setString(2, stateType);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Snapshot(streamId, row.getLong(1), stateType, row.getInt(2), row.getString(3),
                            row.getObject(4, OffsetDateTime.class).toInstant()));
                }
            }
        });
    }
}
