package dev.keel.messaging.inbox;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.keel.core.json.JsonCodec;
import dev.keel.messaging.spi.ReceivedRecord;
import dev.keel.messaging.spi.WireRecord;
import dev.keel.postgres.SqlNames;
import org.jspecify.annotations.Nullable;

/** The inbox's SQL, for one schema. */
final class InboxTables {

    enum Status { WAITING, RETRYING, PARKED }

    /** A key's row, locked. */
    record KeyState(OptionalLong lastSequence, boolean hasPending, boolean handled) {
    }

    /** A pending message: the head of its key's queue, or one behind it. */
    record Pending(long id, String topic, String key, @Nullable UUID messageId, OptionalLong sequence, Status status,
                   ParkedMessage.@Nullable Reason reason, int attempts, @Nullable Instant nextAttemptAt, boolean forced,
                   Instant receivedAt, ReceivedRecord record) {
    }

    private static final JsonCodec JSON = JsonCodec.tolerant();
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    final String schema;
    private final String lockKey;
    private final String lockExistingKey;
    private final String insertPending;
    private final String head;
    private final String updatePending;
    private final String deletePending;
    private final String markHandled;
    private final String isHandled;
    private final String advanceLast;
    private final String nextCheck;
    private final String dueKeys;
    private final String countParked;

    InboxTables(String schema) {
        this.schema = SqlNames.identifier(schema, "schema");
        String keys = schema + ".inbox_keys";
        String pending = schema + ".inbox_pending";
        String handled = schema + ".inbox_handled";
        // DO UPDATE (with no change) locks the row, and RETURNING reports the key's state in the same round trip
        this.lockKey = "INSERT INTO " + keys + " AS k (consumer, topic, key) VALUES (?, ?, ?)"
                + " ON CONFLICT (consumer, topic, key) DO UPDATE SET consumer = EXCLUDED.consumer"
                + " RETURNING k.last_sequence,"
                + " EXISTS (SELECT 1 FROM " + pending + " p WHERE p.consumer = k.consumer AND p.topic = k.topic AND p.key = k.key),"
                + " EXISTS (SELECT 1 FROM " + handled + " h WHERE h.consumer = k.consumer AND h.message_id = ?)";
        this.lockExistingKey = "SELECT last_sequence FROM " + keys + " WHERE consumer = ? AND topic = ? AND key = ? FOR UPDATE";
        this.insertPending = "INSERT INTO " + pending + " (consumer, topic, key, message_id, sequence, message_type, status, reason,"
                + " error, attempts, next_attempt_at, record_partition, record_offset, record_time, headers, value, received_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?) ON CONFLICT DO NOTHING";
        this.head = "SELECT id, message_id, sequence, status, reason, attempts, next_attempt_at, forced, record_partition,"
                + " record_offset, record_time, headers::text, value, received_at FROM " + pending
                + " WHERE consumer = ? AND topic = ? AND key = ? ORDER BY sequence NULLS FIRST, id LIMIT 1";
        this.updatePending = "UPDATE " + pending + " SET status = ?, reason = ?, error = ?, attempts = ?, next_attempt_at = ?,"
                + " updated_at = ? WHERE id = ?";
        this.deletePending = "DELETE FROM " + pending + " WHERE id = ?";
        this.markHandled = "INSERT INTO " + handled + " (consumer, message_id, outcome, handled_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING";
        this.isHandled = "SELECT 1 FROM " + handled + " WHERE consumer = ? AND message_id = ?";
        this.advanceLast = "UPDATE " + keys + " SET last_sequence = GREATEST(last_sequence, ?) WHERE consumer = ? AND topic = ? AND key = ?";
        this.nextCheck = "UPDATE " + keys + " SET next_check_at = ? WHERE consumer = ? AND topic = ? AND key = ?";
        this.dueKeys = "SELECT topic, key FROM " + keys + " WHERE consumer = ? AND next_check_at <= ? ORDER BY next_check_at LIMIT ?";
        this.countParked = "SELECT count(*) FROM " + pending + " WHERE consumer = ? AND status = 'PARKED'";
    }

    KeyState lockKey(Connection connection, String consumer, String topic, String key, @Nullable UUID messageId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(lockKey)) {
            statement.setString(1, consumer);
            statement.setString(2, topic);
            statement.setString(3, key);
            statement.setObject(4, messageId, Types.OTHER);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                long last = row.getLong(1);
                OptionalLong lastSequence = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(last);
                return new KeyState(lastSequence, row.getBoolean(2), row.getBoolean(3));
            }
        }
    }

    /** Locks a key's row; empty if the key has none (so nothing is pending for it). */
    java.util.Optional<OptionalLong> lockExistingKey(Connection connection, String consumer, String topic, String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(lockExistingKey)) {
            statement.setString(1, consumer);
            statement.setString(2, topic);
            statement.setString(3, key);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return java.util.Optional.empty();
                }
                long last = row.getLong(1);
                return java.util.Optional.of(row.wasNull() ? OptionalLong.empty() : OptionalLong.of(last));
            }
        }
    }

    /** Adds a pending message; false if it is pending already. */
    boolean insertPending(Connection connection, String consumer, ReceivedRecord record, @Nullable UUID messageId,
                          OptionalLong sequence, @Nullable String type, Status status, ParkedMessage.@Nullable Reason reason,
                          @Nullable String error, int attempts, @Nullable Instant nextAttemptAt, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(insertPending)) {
            statement.setString(1, consumer);
            statement.setString(2, record.topic());
            statement.setString(3, record.key());
            statement.setObject(4, messageId, Types.OTHER);
            setLong(statement, 5, sequence);
            statement.setString(6, type);
            statement.setString(7, status.name());
            statement.setString(8, reason == null ? null : reason.name());
            statement.setString(9, error);
            statement.setInt(10, attempts);
            statement.setTimestamp(11, timestamp(nextAttemptAt));
            statement.setInt(12, record.partition());
            statement.setLong(13, record.offset());
            statement.setTimestamp(14, timestamp(record.timestamp()));
            statement.setString(15, headersJson(record.record()));
            statement.setBytes(16, record.record().value());
            statement.setTimestamp(17, timestamp(now));
            statement.setTimestamp(18, timestamp(now));
            return statement.executeUpdate() == 1;
        }
    }

    java.util.Optional<Pending> head(Connection connection, String consumer, String topic, String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(head)) {
            statement.setString(1, consumer);
            statement.setString(2, topic);
            statement.setString(3, key);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return java.util.Optional.empty();
                }
                long sequence = row.getLong(3);
                OptionalLong seq = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(sequence);
                String reason = row.getString(5);
                Timestamp next = row.getTimestamp(7);
                ReceivedRecord record = new ReceivedRecord(
                        new WireRecord(topic, key, headersFrom(row.getString(12)), row.getBytes(13)),
                        row.getInt(9), row.getLong(10), row.getTimestamp(11).toInstant());
                return java.util.Optional.of(new Pending(row.getLong(1), topic, key, row.getObject(2, UUID.class), seq,
                        Status.valueOf(row.getString(4)), reason == null ? null : ParkedMessage.Reason.valueOf(reason),
                        row.getInt(6), next == null ? null : next.toInstant(), row.getBoolean(8),
                        row.getTimestamp(14).toInstant(), record));
            }
        }
    }

    void updatePending(Connection connection, long id, Status status, ParkedMessage.Reason reason, String error, int attempts,
                       @Nullable Instant nextAttemptAt, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(updatePending)) {
            statement.setString(1, status.name());
            statement.setString(2, reason.name());
            statement.setString(3, error);
            statement.setInt(4, attempts);
            statement.setTimestamp(5, timestamp(nextAttemptAt));
            statement.setTimestamp(6, timestamp(now));
            statement.setLong(7, id);
            statement.executeUpdate();
        }
    }

    void deletePending(Connection connection, long id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(deletePending)) {
            statement.setLong(1, id);
            statement.executeUpdate();
        }
    }

    boolean isHandled(Connection connection, String consumer, UUID messageId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(isHandled)) {
            statement.setString(1, consumer);
            statement.setObject(2, messageId);
            try (ResultSet row = statement.executeQuery()) {
                return row.next();
            }
        }
    }

    /** Records a message as handled (or skipped) and moves its key's sequence on. */
    void markHandled(Connection connection, String consumer, String topic, String key, @Nullable UUID messageId,
                     OptionalLong sequence, String outcome, Instant now) throws SQLException {
        if (messageId != null) {
            try (PreparedStatement statement = connection.prepareStatement(markHandled)) {
                statement.setString(1, consumer);
                statement.setObject(2, messageId);
                statement.setString(3, outcome);
                statement.setTimestamp(4, timestamp(now));
                statement.executeUpdate();
            }
        }
        if (sequence.isPresent()) {
            try (PreparedStatement statement = connection.prepareStatement(advanceLast)) {
                statement.setLong(1, sequence.getAsLong());
                statement.setString(2, consumer);
                statement.setString(3, topic);
                statement.setString(4, key);
                statement.executeUpdate();
            }
        }
    }

    void nextCheck(Connection connection, String consumer, String topic, String key, @Nullable Instant at) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(nextCheck)) {
            statement.setTimestamp(1, timestamp(at));
            statement.setString(2, consumer);
            statement.setString(3, topic);
            statement.setString(4, key);
            statement.executeUpdate();
        }
    }

    record KeyRef(String topic, String key) {
    }

    java.util.List<KeyRef> dueKeys(Connection connection, String consumer, Instant now, int limit) throws SQLException {
        java.util.List<KeyRef> due = new java.util.ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(dueKeys)) {
            statement.setString(1, consumer);
            statement.setTimestamp(2, timestamp(now));
            statement.setInt(3, limit);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    due.add(new KeyRef(row.getString(1), row.getString(2)));
                }
            }
        }
        return due;
    }

    long countParked(Connection connection, String consumer) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(countParked)) {
            statement.setString(1, consumer);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static void setLong(PreparedStatement statement, int index, OptionalLong value) throws SQLException {
        if (value.isPresent()) {
            statement.setLong(index, value.getAsLong());
        } else {
            statement.setNull(index, Types.BIGINT);
        }
    }

    static String headersJson(WireRecord record) {
        Map<String, String> encoded = new LinkedHashMap<>();
        record.headers().forEach((name, value) -> encoded.put(name, Base64.getEncoder().encodeToString(value)));
        return JSON.toJson(encoded);
    }

    static Map<String, byte[]> headersFrom(String json) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        JSON.fromJson(json, HEADERS).forEach((name, value) -> headers.put(name, Base64.getDecoder().decode(value)));
        return headers;
    }

}
