package dev.keel.messaging.inbox;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import javax.sql.DataSource;

import dev.keel.core.FailureClassifier;
import dev.keel.messaging.CloudEventsBinary;
import dev.keel.messaging.Envelope;
import dev.keel.messaging.UndecodableMessageException;
import dev.keel.messaging.inbox.InboxTables.KeyRef;
import dev.keel.messaging.inbox.InboxTables.KeyState;
import dev.keel.messaging.inbox.InboxTables.Pending;
import dev.keel.messaging.inbox.InboxTables.Status;
import dev.keel.messaging.spi.ReceivedRecord;
import dev.keel.postgres.Transactions;
import org.jspecify.annotations.Nullable;

/**
 * The inbox's decisions for one consumer and handler. Every message of a key is decided under the
 * lock of the key's row, in one transaction with the handler's effects:
 * <ol>
 *   <li>handled before (by id, or by a key sequence at or below the last handled) → dropped;</li>
 *   <li>other messages of its key pending → queued behind them;</li>
 *   <li>a gap before it → held back, parked or handled, as the {@link GapPolicy} says;</li>
 *   <li>otherwise handled; a failure is rolled back to a savepoint and the message becomes the
 *       retrying or parked head of its key's queue.</li>
 * </ol>
 * {@link #advance} works a key's queue off in order (by key sequence, then arrival) as far as it can.
 */
final class InboxEngine {

    enum Step { CONTINUE, BLOCKED }

    private final DataSource dataSource;
    private final InboxTables tables;
    private final String consumer;
    private final MessageHandler handler;
    private final GapPolicy gapPolicy;
    private final boolean newKeysStartAnywhere;
    private final RetryPolicy retry;
    private final FailureClassifier classifier;
    private final Clock clock;
    private final InboxMetrics metrics;

    InboxEngine(DataSource dataSource, InboxTables tables, String consumer, MessageHandler handler, GapPolicy gapPolicy,
                boolean newKeysStartAnywhere, RetryPolicy retry, FailureClassifier classifier, Clock clock, InboxMetrics metrics) {
        this.dataSource = dataSource;
        this.tables = tables;
        this.consumer = consumer;
        this.handler = handler;
        this.gapPolicy = gapPolicy;
        this.newKeysStartAnywhere = newKeysStartAnywhere;
        this.retry = retry;
        this.classifier = classifier;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** What the transport calls for each record; returns once the record's fate is committed. */
    void onRecord(ReceivedRecord record) {
        Envelope envelope;
        try {
            envelope = CloudEventsBinary.decode(record);
        } catch (UndecodableMessageException e) {
            Transactions.inTransaction(dataSource, "inbox " + consumer + " parking undecodable " + record.where(), connection -> {
                tables.lockKey(connection, consumer, record.topic(), record.key(), null);
                tables.insertPending(connection, consumer, record, null, OptionalLong.empty(), null, Status.PARKED,
                        ParkedMessage.Reason.POISON, describe(e), 0, null, clock.instant());
                return null;
            });
            return;
        }
        boolean queued = Transactions.inTransaction(dataSource, "inbox " + consumer + " receiving " + envelope,
                connection -> receive(connection, record, envelope));
        if (queued) {
            advance(envelope.topic(), envelope.key());
        }
    }

    /** @return whether the message was queued behind others (so the queue should be advanced) */
    private boolean receive(Connection connection, ReceivedRecord record, Envelope envelope) throws SQLException {
        Instant now = clock.instant();
        UUID id = envelope.id().value();
        KeyState key = tables.lockKey(connection, consumer, envelope.topic(), envelope.key(), id);
        if (key.handled() || isOldSequence(envelope, key.lastSequence())) {
            metrics.duplicate();
            return false;
        }
        if (key.hasPending()) {
            if (!insertPending(connection, record, envelope, Status.WAITING, null, null, 0, null, now)) {
                metrics.duplicate();
            }
            return true;
        }
        Optional<String> gap = gap(envelope, key.lastSequence());
        if (gap.isPresent()) {
            metrics.gap();
            switch (gapPolicy) {
                case GapPolicy.HoldBack hold -> {
                    insertPending(connection, record, envelope, Status.WAITING, null, null, 0, null, now);
                    tables.nextCheck(connection, consumer, envelope.topic(), envelope.key(), now.plus(hold.atMost()));
                    return false;
                }
                case GapPolicy.Reject reject -> {
                    insertPending(connection, record, envelope, Status.PARKED, ParkedMessage.Reason.GAP, gap.get(), 0, null, now);
                    return false;
                }
                case GapPolicy.Accept accept -> {
                    // handled below
                }
            }
        }
        Exception failure = runHandler(connection, envelope);
        if (failure == null) {
            tables.markHandled(connection, consumer, envelope.topic(), envelope.key(), id, envelope.sequence(), "HANDLED", now);
            metrics.handled();
            return false;
        }
        metrics.failure();
        if (retryable(failure, 1)) {
            Instant next = now.plus(retry.backoffAfter(1));
            insertPending(connection, record, envelope, Status.RETRYING, ParkedMessage.Reason.FAILED, describe(failure), 1, next, now);
            tables.nextCheck(connection, consumer, envelope.topic(), envelope.key(), next);
        } else {
            insertPending(connection, record, envelope, Status.PARKED, ParkedMessage.Reason.FAILED, describe(failure), 1, null, now);
        }
        return false;
    }

    /** Works off a key's queue in order until it is empty or its head must wait. */
    void advance(String topic, String key) {
        Step step;
        do {
            step = Transactions.inTransaction(dataSource, "inbox " + consumer + " advancing " + topic + "/" + key,
                    connection -> advanceOnce(connection, topic, key));
        } while (step == Step.CONTINUE);
    }

    private Step advanceOnce(Connection connection, String topic, String key) throws SQLException {
        Instant now = clock.instant();
        Optional<OptionalLong> locked = tables.lockExistingKey(connection, consumer, topic, key);
        if (locked.isEmpty()) {
            return Step.BLOCKED;
        }
        OptionalLong last = locked.get();
        Optional<Pending> found = tables.head(connection, consumer, topic, key);
        if (found.isEmpty()) {
            tables.nextCheck(connection, consumer, topic, key, null);
            return Step.BLOCKED;
        }
        Pending head = found.get();
        Envelope envelope;
        try {
            envelope = CloudEventsBinary.decode(head.record());
        } catch (UndecodableMessageException e) {
            tables.updatePending(connection, head.id(), Status.PARKED, ParkedMessage.Reason.POISON, describe(e), head.attempts(), null, now);
            tables.nextCheck(connection, consumer, topic, key, null);
            return Step.BLOCKED;
        }
        if (tables.isHandled(connection, consumer, envelope.id().value()) || isOldSequence(envelope, last)) {
            tables.deletePending(connection, head.id());
            metrics.duplicate();
            return Step.CONTINUE;
        }
        Optional<String> gap = head.forced() ? Optional.empty() : gap(envelope, last);
        switch (head.status()) {
            case PARKED -> {
                boolean gapFilled = head.reason() == ParkedMessage.Reason.GAP && gap.isEmpty();
                if (!gapFilled) {
                    tables.nextCheck(connection, consumer, topic, key, null);
                    return Step.BLOCKED;
                }
            }
            case RETRYING -> {
                if (head.nextAttemptAt() != null && head.nextAttemptAt().isAfter(now)) {
                    tables.nextCheck(connection, consumer, topic, key, head.nextAttemptAt());
                    return Step.BLOCKED;
                }
            }
            case WAITING -> {
                // handled below, if its turn has come
            }
        }
        if (gap.isPresent()) {
            switch (gapPolicy) {
                case GapPolicy.HoldBack hold -> {
                    Instant deadline = head.receivedAt().plus(hold.atMost());
                    if (now.isBefore(deadline)) {
                        tables.nextCheck(connection, consumer, topic, key, deadline);
                    } else {
                        tables.updatePending(connection, head.id(), Status.PARKED, ParkedMessage.Reason.GAP,
                                "held back for " + hold.atMost() + " but " + gap.get(), head.attempts(), null, now);
                        tables.nextCheck(connection, consumer, topic, key, null);
                    }
                    return Step.BLOCKED;
                }
                case GapPolicy.Reject reject -> {
                    tables.updatePending(connection, head.id(), Status.PARKED, ParkedMessage.Reason.GAP, gap.get(), head.attempts(), null, now);
                    tables.nextCheck(connection, consumer, topic, key, null);
                    return Step.BLOCKED;
                }
                case GapPolicy.Accept accept -> metrics.gap();
            }
        }
        Exception failure = runHandler(connection, envelope);
        if (failure == null) {
            tables.deletePending(connection, head.id());
            tables.markHandled(connection, consumer, topic, key, envelope.id().value(), envelope.sequence(), "HANDLED", now);
            metrics.handled();
            return Step.CONTINUE;
        }
        metrics.failure();
        int attempts = head.attempts() + 1;
        if (retryable(failure, attempts)) {
            Instant next = now.plus(retry.backoffAfter(attempts));
            tables.updatePending(connection, head.id(), Status.RETRYING, ParkedMessage.Reason.FAILED, describe(failure), attempts, next, now);
            tables.nextCheck(connection, consumer, topic, key, next);
        } else {
            tables.updatePending(connection, head.id(), Status.PARKED, ParkedMessage.Reason.FAILED, describe(failure), attempts, null, now);
            tables.nextCheck(connection, consumer, topic, key, null);
        }
        return Step.BLOCKED;
    }

    List<KeyRef> dueKeys(int limit) {
        return Transactions.withConnection(dataSource, "inbox " + consumer + " finding due keys",
                connection -> tables.dueKeys(connection, consumer, clock.instant(), limit));
    }

    long countParked() {
        return Transactions.withConnection(dataSource, "inbox " + consumer + " counting parked messages",
                connection -> tables.countParked(connection, consumer));
    }

    /** Runs the handler inside a savepoint; returns its failure (rolled back), or null. */
    private @Nullable Exception runHandler(Connection connection, Envelope envelope) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            handler.handle(envelope, connection);
        } catch (Exception e) {
            // if the connection itself is gone this throws, and the record comes again later
            connection.rollback(savepoint);
            return e;
        }
        connection.releaseSavepoint(savepoint);
        return null;
    }

    private boolean retryable(Exception failure, int attempts) {
        return classifier.isTransient(failure) && retry.allowsAnotherAfter(attempts);
    }

    private boolean insertPending(Connection connection, ReceivedRecord record, Envelope envelope, Status status,
                                  ParkedMessage.@Nullable Reason reason, @Nullable String error, int attempts,
                                  @Nullable Instant nextAttemptAt, Instant now) throws SQLException {
        return tables.insertPending(connection, consumer, record, envelope.id().value(), envelope.sequence(), envelope.type(),
                status, reason, error, attempts, nextAttemptAt, now);
    }

    private static boolean isOldSequence(Envelope envelope, OptionalLong last) {
        return envelope.sequence().isPresent() && last.isPresent() && envelope.sequence().getAsLong() <= last.getAsLong();
    }

    /** Why this message is not the next of its key, if it is not. */
    private Optional<String> gap(Envelope envelope, OptionalLong last) {
        if (envelope.sequence().isEmpty()) {
            return Optional.empty();
        }
        long sequence = envelope.sequence().getAsLong();
        long expected = last.isPresent() ? last.getAsLong() + 1 : 1;
        if (sequence == expected || (last.isEmpty() && newKeysStartAnywhere)) {
            return Optional.empty();
        }
        return Optional.of("message #" + expected + " of key " + envelope.key() + " on " + envelope.topic()
                + " has not arrived; this one is #" + sequence);
    }

    static String describe(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        String full = text.toString();
        return full.length() <= 4000 ? full : full.substring(0, 4000);
    }
}
