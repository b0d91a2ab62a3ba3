package dev.keel.messaging.inbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import javax.sql.DataSource;

import dev.keel.core.MessageId;
import dev.keel.postgres.Transactions;

/**
 * The operator's view of a consumer's ordered dead letters: messages parked (or still retrying) with
 * their error, and later messages of their key waiting behind them.
 *
 * <pre>{@code
 * DeadLetters dead = inbox.deadLetters();
 * for (ParkedMessage parked : dead.list()) { ... parked.error() ... }
 * dead.retry(id);   // handle it again now (accepting a gap, if that is why it was parked)
 * dead.skip(id);    // drop it without effect; the messages behind it flow
 * }</pre>
 */
public final class DeadLetters {

    private final DataSource dataSource;
    private final InboxTables tables;
    private final String consumer;
    private final Clock clock;
    private final Runnable wakeWorkers;
    private final String select;

    DeadLetters(DataSource dataSource, InboxTables tables, String consumer, Clock clock, Runnable wakeWorkers) {
        this.dataSource = dataSource;
        this.tables = tables;
        this.consumer = consumer;
        this.clock = clock;
        this.wakeWorkers = wakeWorkers;
        String pending = tables.schema + ".inbox_pending";
        this.select = "SELECT p.id, p.topic, p.key, p.message_id, p.sequence, p.message_type, p.status, p.reason, p.error,"
                + " p.attempts, p.next_attempt_at, p.updated_at, p.record_partition, p.record_offset,"
                + " (SELECT count(*) FROM " + pending + " w WHERE w.consumer = p.consumer AND w.topic = p.topic AND w.key = p.key"
                + "  AND w.id <> p.id AND w.status = 'WAITING')"
                + " FROM " + pending + " p WHERE p.consumer = ? AND p.status IN ('PARKED', 'RETRYING')";
    }

    /** Parked and retrying messages, oldest first. */
    public List<ParkedMessage> list() {
        return Transactions.withConnection(dataSource, "listing dead letters of " + consumer, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(select + " ORDER BY p.id")) {
                statement.setString(1, consumer);
                return read(statement);
            }
        });
    }

    /** Only the parked ones: what waits for an operator. */
    public List<ParkedMessage> parked() {
        return list().stream().filter(message -> message.state() == ParkedMessage.State.PARKED).toList();
    }

    public Optional<ParkedMessage> find(long id) {
        return Transactions.withConnection(dataSource, "finding dead letter " + id + " of " + consumer, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(select + " AND p.id = ?")) {
                statement.setString(1, consumer);
                statement.setLong(2, id);
                List<ParkedMessage> found = read(statement);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
            }
        });
    }

    /**
     * Handles a parked (or retrying) message again, at once, with a fresh set of attempts. A message
     * parked for a gap is handled despite the gap: its key moves on to its sequence.
     *
     * @throws NoSuchParkedMessageException if the consumer has no such parked or retrying message
     */
    public void retry(long id) {
        ParkedMessage message = require(id);
        Transactions.inTransaction(dataSource, "retrying dead letter " + id + " of " + consumer, connection -> {
            tables.lockExistingKey(connection, consumer, message.topic(), message.key());
            Instant now = clock.instant();
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + tables.schema + ".inbox_pending"
                    + " SET status = 'RETRYING', attempts = 0, next_attempt_at = ?, forced = true, updated_at = ?"
                    + " WHERE id = ? AND consumer = ? AND status IN ('PARKED', 'RETRYING')")) {
                update.setTimestamp(1, Timestamp.from(now));
                update.setTimestamp(2, Timestamp.from(now));
                update.setLong(3, id);
                update.setString(4, consumer);
                if (update.executeUpdate() == 0) {
                    throw NoSuchParkedMessageException.notParked(consumer, id);
                }
            }
            tables.nextCheck(connection, consumer, message.topic(), message.key(), now);
            return null;
        });
        wakeWorkers.run();
    }

    /**
     * Drops a parked (or retrying) message without running the handler; it counts as handled, so a
     * redelivery of it is dropped too, and the messages behind it flow.
     *
     * @throws NoSuchParkedMessageException if the consumer has no such parked or retrying message
     */
    public void skip(long id) {
        ParkedMessage message = require(id);
        Transactions.inTransaction(dataSource, "skipping dead letter " + id + " of " + consumer, connection -> {
            tables.lockExistingKey(connection, consumer, message.topic(), message.key());
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + tables.schema + ".inbox_pending"
                    + " WHERE id = ? AND consumer = ? AND status IN ('PARKED', 'RETRYING')")) {
                delete.setLong(1, id);
                delete.setString(2, consumer);
                if (delete.executeUpdate() == 0) {
                    throw NoSuchParkedMessageException.notParked(consumer, id);
                }
            }
            Instant now = clock.instant();
            tables.markHandled(connection, consumer, message.topic(), message.key(),
                    message.messageId().map(MessageId::value).orElse(null), message.sequence(), "SKIPPED", now);
            tables.nextCheck(connection, consumer, message.topic(), message.key(), now);
            return null;
        });
        wakeWorkers.run();
    }

    private ParkedMessage require(long id) {
        return find(id).orElseThrow(() -> NoSuchParkedMessageException.notParked(consumer, id));
    }

    private List<ParkedMessage> read(PreparedStatement statement) throws SQLException {
        List<ParkedMessage> messages = new ArrayList<>();
        try (ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                UUID messageId = row.getObject(4, UUID.class);
                long sequence = row.getLong(5);
                OptionalLong seq = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(sequence);
                Timestamp next = row.getTimestamp(11);
                String reason = row.getString(8);
                messages.add(new ParkedMessage(row.getLong(1), consumer, row.getString(2), row.getString(3),
                        Optional.ofNullable(messageId).map(MessageId::new), seq, Optional.ofNullable(row.getString(6)),
                        ParkedMessage.State.valueOf(row.getString(7)),
                        reason == null ? ParkedMessage.Reason.FAILED : ParkedMessage.Reason.valueOf(reason),
                        row.getString(9) == null ? "" : row.getString(9), row.getInt(10),
                        Optional.ofNullable(next).map(Timestamp::toInstant), row.getTimestamp(12).toInstant(),
                        row.getInt(15), row.getString(2) + "/" + row.getInt(13) + "@" + row.getLong(14)));
            }
        }
        return messages;
    }
}
