package dev.keel.eventstore.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import dev.keel.core.FailureClassifier;
import dev.keel.core.Uuids;
import dev.keel.eventstore.Append;
import dev.keel.eventstore.AppendContendedException;
import dev.keel.eventstore.AppendResult;
import dev.keel.eventstore.EventFilter;
import dev.keel.eventstore.EventStorage;
import dev.keel.eventstore.ExpectedVersion;
import dev.keel.eventstore.InvalidRequestException;
import dev.keel.eventstore.RecordedEvent;
import dev.keel.eventstore.StreamDeletedException;
import dev.keel.eventstore.StreamInfo.StreamState;
import dev.keel.eventstore.StreamInfo;
import dev.keel.eventstore.StreamRead;
import dev.keel.eventstore.SystemEvents;
import dev.keel.eventstore.WrongExpectedVersionException;
import dev.keel.postgres.CommittedLog;
import dev.keel.postgres.LogPosition;
import dev.keel.postgres.NotificationListener;
import dev.keel.postgres.SqlFailure;
import dev.keel.postgres.Transactions;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL engine: the {@code events} table of one schema (see the migration
 * {@code db/keel/eventstore/V1__events.sql}), written through {@link GroupCommit} and read with the
 * gap-free {@link CommittedLog}.
 *
 * <p>How a batch is written: one auto-commit statement checks and inserts every append of the batch
 * ({@link AppendStatement}) — the usual case, one round trip for the whole batch. Appends it rejects
 * (a version that did not match, which may also be an exact retry), and the whole batch if the
 * statement failed (another writer got in between, a lost connection whose commit may or may not have
 * happened), are then resolved carefully in a transaction: stored ids are looked up first, so a retry
 * is recognised and nothing is written twice, then the rest is written again inside a savepoint.
 * A failure that is not about the batch as a whole is narrowed down by resolving its appends one by
 * one, so it fails only the append it belongs to.
 */
final class PostgresEventStorage implements EventStorage {

    private static final Logger log = LoggerFactory.getLogger(PostgresEventStorage.class);
    /** How often a careful append may lose a race with writers of other processes before it gives up. */
    static final int RACE_ROUNDS = 5;
    private static final String COLUMNS = "stream_id, stream_version, event_id, event_type, schema_version, payload, metadata, recorded_at";

    private final DataSource dataSource;
    private final String schema;
    private final String events;
    private final String snapshots;
    private final String channel;
    private final AppendStatement appendStatement;
    private final GroupCommit groupCommit;
    private final CommittedLog<RecordedEvent> wholeLog;
    private final String readForwardSql;
    private final String readBackwardSql;
    private final String lastEventSql;
    private final String newestSql;
    private final String insertMarkerSql;
    private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();
    private final Object listenerLock = new Object();
    private @Nullable NotificationListener notificationListener;

    PostgresEventStorage(DataSource dataSource, String schema, GroupCommitSettings settings,
                         MeterRegistry registry, String storeName) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.events = schema + ".events";
        this.snapshots = schema + ".snapshots";
        this.channel = schema + "_events";
        this.appendStatement = new AppendStatement(events);
        this.groupCommit = new GroupCommit(settings.maxConcurrentBatches(), settings.maxAppendsPerBatch(),
                settings.maxEventsPerBatch(), this::writeBatch,
                DistributionSummary.builder("keel.eventstore.group.commit.appends")
                        .description("appends written per transaction by group commit").tag("store", storeName)
                        .register(registry));
        Gauge.builder("keel.eventstore.group.commit.waiting", groupCommit, GroupCommit::waiting)
                .description("appends waiting for a group commit transaction").tag("store", storeName).register(registry);
        this.wholeLog = logReader(EventFilter.all());
        String select = "SELECT stream_id, stream_version, tx_id::text::bigint, position, event_id, event_type, schema_version,"
                + " payload, metadata, recorded_at FROM " + events + " WHERE stream_id = ? AND event_type <> '"
                + SystemEvents.STREAM_ARCHIVED + "'";
        this.readForwardSql = select + " AND stream_version >= ? ORDER BY stream_version LIMIT ?";
        this.readBackwardSql = select + " AND stream_version <= ? ORDER BY stream_version DESC LIMIT ?";
        this.lastEventSql = "SELECT stream_version, event_type, tx_id::text::bigint, position FROM " + events
                + " WHERE stream_id = ? ORDER BY stream_version DESC LIMIT 1";
        this.newestSql = "SELECT tx_id::text::bigint, position FROM " + events + " ORDER BY tx_id DESC, position DESC LIMIT 1";
        // tx_id lifted to the stream's previous event's, as every append does (ADR 0002, "Order within a stream or key")
        this.insertMarkerSql = "INSERT INTO " + events + " (stream_id, stream_version, event_id, event_type, schema_version,"
                + " payload, metadata, tx_id) SELECT ?, ?, ?, ?, 1, '{}', '{}', greatest(pg_current_xact_id(), coalesce(("
                + "SELECT e.tx_id FROM " + events + " e WHERE e.stream_id = ? ORDER BY e.stream_version DESC LIMIT 1), '0'::xid8))"
                + " RETURNING tx_id::text::bigint, position";
    }

    String schema() {
        return schema;
    }

    String channel() {
        return channel;
    }

    // ---------------------------------------------------------------- appending

    @Override
    public AppendResult append(Append append) {
        return groupCommit.append(append);
    }

    private void writeBatch(List<GroupCommit.Pending> batch) {
        List<GroupCommit.Pending> unresolved = new ArrayList<>();
        boolean wrote = false;
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            List<AppendStatement.Outcome> outcomes = appendStatement.execute(connection, appends(batch));
            for (int i = 0; i < batch.size(); i++) {
                if (outcomes.get(i) instanceof AppendStatement.Outcome.Done done) {
                    batch.get(i).succeed(done.result());
                    wrote = true;
                } else {
                    unresolved.add(batch.get(i));
                }
            }
        } catch (SQLException e) {
            log.debug("group commit of {} appends goes the careful way: {}", batch.size(), e.getMessage());
            for (GroupCommit.Pending pending : batch) {
                if (!pending.isDone()) {
                    unresolved.add(pending);
                }
            }
        }
        if (wrote) {
            commitHappened();
        }
        if (!unresolved.isEmpty()) {
            resolveCarefully(unresolved);
        }
    }

    /** Writes or refuses each append of the list in a transaction of its own, telling retries apart. */
    private void resolveCarefully(List<GroupCommit.Pending> list) {
        for (int attempt = 1; ; attempt++) {
            List<GroupCommit.Pending> open = list.stream().filter(pending -> !pending.isDone()).toList();
            if (open.isEmpty()) {
                return;
            }
            boolean connected = false;
            try (Connection connection = dataSource.getConnection()) {
                connected = true;
                connection.setAutoCommit(false);
                List<AppendStatement.Outcome> outcomes;
                try {
                    outcomes = appendStatement.executeCarefully(connection, appends(open), RACE_ROUNDS);
                    connection.commit();
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(connection, e);
                    throw e;
                }
                // (a pool resets auto-commit when the connection goes back)
                boolean wrote = false;
                for (int i = 0; i < open.size(); i++) {
                    switch (outcomes.get(i)) {
                        case AppendStatement.Outcome.Done done -> {
                            open.get(i).succeed(done.result());
                            wrote |= !done.result().alreadyStored();
                        }
                        case AppendStatement.Outcome.Refused refused -> open.get(i).fail(refused.reason());
                        case AppendStatement.Outcome.Rejected rejected ->
                                open.get(i).fail(AppendStatement.refusal(open.get(i).append(), rejected));
                    }
                }
                if (wrote) {
                    commitHappened();
                }
                return;
            } catch (AppendStatement.RacedTooOften e) {
                open.forEach(pending -> pending.fail(AppendContendedException.racedTooOften(pending.append().streamId(), RACE_ROUNDS)));
                return;
            } catch (SQLException e) {
                // a lost connection, a server restarting, a deadlock with another process: the commit may
                // or may not have happened, and the next attempt looks the ids up first
                boolean worthAnotherAttempt = connected && FailureClassifier.defaults().isTransient(e);
                if (worthAnotherAttempt && attempt < RACE_ROUNDS) {
                    continue;
                }
                if (open.size() > 1 && connected && !worthAnotherAttempt) {
                    // a failure we cannot pin on the batch as a whole: let it fail only its own append
                    for (GroupCommit.Pending pending : open) {
                        resolveCarefully(List.of(pending));
                    }
                    return;
                }
                for (GroupCommit.Pending pending : open) {
                    pending.fail(SqlFailure.translate("append to " + pending.append().streamId()
                            + " (retrying with the same event ids is safe)", e));
                }
                return;
            }
        }
    }

    /**
     * Appends in the caller's transaction, with the careful path (retries recognised, races retried in
     * a savepoint); the events become visible when the caller commits, and vanish if it rolls back.
     */
    AppendResult appendWithin(Connection connection, Append append) {
        try {
            if (connection.getAutoCommit()) {
                throw InvalidRequestException.invalidOption(
                        "appending within a transaction needs a connection with auto-commit off");
            }
            return switch (appendStatement.executeCarefully(connection, List.of(append), RACE_ROUNDS).get(0)) {
                case AppendStatement.Outcome.Done done -> done.result();
                case AppendStatement.Outcome.Refused refused -> throw refused.reason();
                case AppendStatement.Outcome.Rejected rejected -> throw AppendStatement.refusal(append, rejected);
            };
        } catch (AppendStatement.RacedTooOften e) {
            throw AppendContendedException.racedTooOften(append.streamId(), RACE_ROUNDS);
        } catch (SQLException e) {
            throw SqlFailure.translate("append to " + append.streamId() + " within a transaction", e);
        }
    }

    private static List<Append> appends(List<GroupCommit.Pending> pending) {
        List<Append> appends = new ArrayList<>(pending.size());
        for (GroupCommit.Pending p : pending) {
            appends.add(p.append());
        }
        return appends;
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    // ---------------------------------------------------------------- reading

    @Override
    public List<RecordedEvent> readStream(String streamId, StreamRead read) {
        return Transactions.withConnection(dataSource, "read stream " + streamId, connection -> {
            List<RecordedEvent> result = new ArrayList<>(Math.min(read.limit(), 256));
            try (PreparedStatement statement = connection.prepareStatement(read.isForwards() ? readForwardSql : readBackwardSql)) {
                statement.setString(1, streamId);
                statement.setLong(2, read.fromVersion());
                statement.setInt(3, read.limit());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        RecordedEvent event = new RecordedEvent(rows.getString(1), rows.getLong(2),
                                new LogPosition(rows.getLong(3), rows.getLong(4)), rows.getObject(5, UUID.class), rows.getString(6),
                                rows.getInt(7), rows.getString(8), rows.getString(9), rows.getObject(10, OffsetDateTime.class).toInstant());
                        if (event.type().equals(SystemEvents.STREAM_DELETED)) {
                            throw StreamDeletedException.streamWasDeleted(streamId);
                        }
                        result.add(event);
                    }
                }
            }
            if (result.isEmpty()) {
                LastEvent last = lastEvent(connection, streamId);
                if (last != null && last.type().equals(SystemEvents.STREAM_DELETED)) {
                    throw StreamDeletedException.streamWasDeleted(streamId);
                }
            }
            return List.copyOf(result);
        });
    }

    @Override
    public List<RecordedEvent> readAll(LogPosition after, EventFilter filter, int limit) {
        CommittedLog<RecordedEvent> reader = filter.isAll() ? wholeLog : logReader(filter);
        return Transactions.withConnection(dataSource, "read all streams after " + after,
                connection -> reader.readAfter(connection, after, limit));
    }

    /** The gap-free reader of the events table with this filter. */
    CommittedLog<RecordedEvent> logReader(EventFilter filter) {
        CommittedLog.Builder<RecordedEvent> builder = CommittedLog.<RecordedEvent>of(events, PostgresEventStorage::mapLogRow)
                .columns(COLUMNS);
        List<String> conditions = new ArrayList<>();
        if (!filter.types().isEmpty()) {
            conditions.add("event_type = ANY(?)");
        }
        if (!filter.streamPrefix().isEmpty()) {
            conditions.add("starts_with(stream_id, ?)");
        }
        if (!conditions.isEmpty()) {
            String[] types = filter.types().toArray(String[]::new);
            String prefix = filter.streamPrefix();
            builder.where(String.join(" AND ", conditions), (statement, index) -> {
                int next = index;
                if (types.length > 0) {
                    statement.setArray(next++, statement.getConnection().createArrayOf("text", types));
                }
                if (!prefix.isEmpty()) {
                    statement.setString(next++, prefix);
                }
                return next;
            });
        }
        return builder.build();
    }

    private static RecordedEvent mapLogRow(ResultSet row, LogPosition position) throws SQLException {
        return new RecordedEvent(row.getString(3), row.getLong(4), position, row.getObject(5, UUID.class), row.getString(6),
                row.getInt(7), row.getString(8), row.getString(9), row.getObject(10, OffsetDateTime.class).toInstant());
    }

    @Override
    public Optional<LogPosition> head() {
        return Transactions.withConnection(dataSource, "find the head of the event log", wholeLog::head);
    }

    @Override
    public Optional<LogPosition> newest() {
        return Transactions.withConnection(dataSource, "find the newest event", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(newestSql); ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(new LogPosition(row.getLong(1), row.getLong(2))) : Optional.empty();
            }
        });
    }

    // ---------------------------------------------------------------- stream life

    private record LastEvent(long version, String type, LogPosition position) {
    }

    private @Nullable LastEvent lastEvent(Connection connection, String streamId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(lastEventSql)) {
            statement.setString(1, streamId);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? new LastEvent(row.getLong(1), row.getString(2), new LogPosition(row.getLong(3), row.getLong(4))) : null;
            }
        }
    }

    private static StreamInfo info(String streamId, @Nullable LastEvent last) {
        if (last == null) {
            return new StreamInfo(streamId, 0, StreamState.NO_STREAM);
        }
        return switch (last.type()) {
            case SystemEvents.STREAM_DELETED -> new StreamInfo(streamId, last.version() - 1, StreamState.DELETED);
            case SystemEvents.STREAM_ARCHIVED -> new StreamInfo(streamId, last.version() - 1, StreamState.ARCHIVED);
            default -> new StreamInfo(streamId, last.version(), StreamState.ACTIVE);
        };
    }

    @Override
    public StreamInfo describe(String streamId) {
        return Transactions.withConnection(dataSource, "describe stream " + streamId,
                connection -> info(streamId, lastEvent(connection, streamId)));
    }

    @Override
    public AppendResult end(String streamId, ExpectedVersion expected, StreamState end) {
        String what = (end == StreamState.DELETED ? "delete" : "archive") + " stream " + streamId;
        for (int round = 0; round < RACE_ROUNDS; round++) {
            try {
                AppendResult result = Transactions.inTransaction(dataSource, what, connection -> endOnce(connection, streamId, expected, end));
                if (!result.alreadyStored()) {
                    commitHappened();
                }
                return result;
            } catch (SqlFailure.Permanent e) {
                if (!"23505".equals(e.sqlState())) {
                    throw e;
                }
                // an append got the version first; look again
            }
        }
        throw AppendContendedException.racedTooOften(streamId, RACE_ROUNDS);
    }

    private AppendResult endOnce(Connection connection, String streamId, ExpectedVersion expected, StreamState end) throws SQLException {
        LastEvent last = lastEvent(connection, streamId);
        StreamInfo info = info(streamId, last);
        if (info.state() == StreamState.DELETED || info.state() == end) {
            if (info.state() == StreamState.DELETED && end != StreamState.DELETED) {
                throw StreamDeletedException.streamWasDeleted(streamId);
            }
            return new AppendResult(streamId, last.version(), last.position(), true);
        }
        if (!expected.isMetBy(info.version())) {
            throw WrongExpectedVersionException.conflictingAppend(streamId, expected, info.version());
        }
        long markerVersion = (last == null ? 0 : last.version()) + 1;
        LogPosition position;
        try (PreparedStatement insert = connection.prepareStatement(insertMarkerSql)) {
            insert.setString(1, streamId);
            insert.setLong(2, markerVersion);
            insert.setObject(3, Uuids.timeOrdered());
            insert.setString(4, end == StreamState.DELETED ? SystemEvents.STREAM_DELETED : SystemEvents.STREAM_ARCHIVED);
            insert.setString(5, streamId);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                position = new LogPosition(row.getLong(1), row.getLong(2));
            }
        }
        if (end == StreamState.DELETED) {
            // waits for snapshot writers holding a share lock on the stream's rows (PostgresSnapshotStore),
            // so that the snapshots deleted next include theirs
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM " + events + " WHERE stream_id = ? AND stream_version < ?")) {
                delete.setString(1, streamId);
                delete.setLong(2, markerVersion);
                delete.executeUpdate();
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + snapshots + " WHERE stream_id = ?")) {
                delete.setString(1, streamId);
                delete.executeUpdate();
            }
        }
        return new AppendResult(streamId, markerVersion, position, false);
    }

    // ---------------------------------------------------------------- commit hints

    @Override
    public AutoCloseable onCommit(Runnable listener) {
        synchronized (listenerLock) {
            if (notificationListener == null) {
                notificationListener = NotificationListener.start(dataSource, schema + "-events");
                notificationListener.onNotify(channel, this::notifyListeners);
            }
        }
        commitListeners.add(listener);
        return () -> commitListeners.remove(listener);
    }

    private void commitHappened() {
        // subscribers in this process need not wait for the notification's round trip
        notifyListeners();
    }

    private void notifyListeners() {
        for (Runnable listener : commitListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.warn("commit listener failed", e);
            }
        }
    }

    @Override
    public void close() {
        synchronized (listenerLock) {
            if (notificationListener != null) {
                notificationListener.close();
                notificationListener = null;
            }
        }
        commitListeners.clear();
    }

    @Override
    public String toString() {
        return "PostgreSQL schema " + schema;
    }
}
