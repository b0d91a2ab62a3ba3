package dev.keel.eventstore.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.keel.eventstore.Append;
import dev.keel.eventstore.AppendResult;
import dev.keel.eventstore.DuplicateEventIdException;
import dev.keel.eventstore.EventData;
import dev.keel.eventstore.ExpectedVersion;
import dev.keel.eventstore.StreamArchivedException;
import dev.keel.eventstore.StreamDeletedException;
import dev.keel.eventstore.SystemEvents;
import dev.keel.eventstore.WrongExpectedVersionException;
import dev.keel.postgres.LogPosition;

/**
 * The SQL of appending: one statement that checks the expected version of every append of a batch
 * and inserts the events of those that pass, and the lookup of event ids that tells an exact retry
 * from a new append. The statement comes in two shapes with the same meaning: a multi-row
 * {@code INSERT ... SELECT ... FROM (VALUES ...)} for batches of up to {@value #MAX_VALUES_ROWS} events
 * (the usual case, a lone append included), and arrays passed to the function {@code append_events}
 * of the migration for larger ones (whose plan PostgreSQL keeps instead of re-planning it for every
 * call), which also says why an append was rejected.
 *
 * <p>The statement reads each stream's last event and inserts at the following versions, in one
 * snapshot. A writer elsewhere that got in between makes the insert hit the primary key
 * {@code (stream_id, stream_version)} — the statement then fails as a whole and the caller resolves
 * the batch again (see {@link PostgresEventStorage}); it never writes a wrong version. The events of a
 * batch are inserted in stream and version order, so positions grow with versions and two batches
 * meet in the same key order (they block rather than deadlock).
 */
final class AppendStatement {

    /** What the statement did to one append. */
    sealed interface Outcome {
        /** Written (or, from the lookup, stored before by an exact retry). */
        record Done(AppendResult result) implements Outcome {
        }

        /** Refused: a wrong expected version, an archived or deleted stream, reused event ids. */
        record Refused(RuntimeException reason) implements Outcome {
        }

        /** Not written because the version check failed; whether it is an exact retry is not known yet. */
        record Rejected(long actual, String lastType) implements Outcome {
        }
    }

    /**
     * Batches of up to this many events are sent as one multi-row {@code VALUES} statement (one
     * prepared statement per size); larger ones as arrays to the function.
     */
    static final int MAX_VALUES_ROWS = 64;

    /** The version of a rejected append's stream when the statement did not find it out. */
    static final long UNKNOWN_VERSION = -1;

    private final String table;
    private final String appendSql;
    private final ConcurrentHashMap<Integer, String> valuesSql = new ConcurrentHashMap<>();
    private final String lookupSql;

    AppendStatement(String table) {
        this.table = table;
        String schema = table.substring(0, table.indexOf('.'));
        this.appendSql = "SELECT idx, actual, last_type, tx, last_position FROM " + schema
                + ".append_events(?::text[], ?::bigint[], ?::int[], ?::int[], ?::uuid[], ?::text[], ?::int[], ?::jsonb[], ?::jsonb[])";
        this.lookupSql = "SELECT event_id, stream_id, stream_version, tx_id::text::bigint, position FROM " + table
                + " WHERE event_id = ANY(?::uuid[])";
    }

    /**
     * The batch statement for {@code events} events as one multi-row {@code VALUES} list: each event
     * row looks up its stream's last event and is inserted after it if the append's expected version
     * and the stream's state allow. All rows of one append meet the same condition, so an append is
     * written whole or not at all; the inserted rows come back, and an append without rows was
     * rejected.
     */
    private String valuesSql(int events) {
        return valuesSql.computeIfAbsent(events, n -> {
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < n; i++) {
                rows.append(i == 0 ? "" : ", ").append("(?::text, ?::bigint, ?::int, ?::uuid, ?::text, ?::int, ?::jsonb, ?::jsonb)");
            }
            return """
                    INSERT INTO %1$s (stream_id, stream_version, event_id, event_type, schema_version, payload, metadata, tx_id)
                    SELECT r.stream_id, coalesce(l.stream_version, 0) + r.k, r.event_id, r.event_type, r.schema_version, r.payload, r.metadata,
                           greatest(pg_current_xact_id(), coalesce(l.tx_id, '0'::xid8))
                    FROM (VALUES %4$s) AS r(stream_id, expected, k, event_id, event_type, schema_version, payload, metadata)
                    LEFT JOIN LATERAL (
                        SELECT e.stream_version, e.event_type, e.tx_id FROM %1$s e
                        WHERE e.stream_id = r.stream_id ORDER BY e.stream_version DESC LIMIT 1
                    ) l ON true
                    WHERE (r.expected < 0 OR r.expected = coalesce(l.stream_version, 0))
                      AND coalesce(l.event_type, '') NOT IN ('%2$s', '%3$s')
                    ORDER BY r.stream_id, r.k
                    RETURNING stream_id, stream_version, tx_id::text::bigint, position
                    """.formatted(table, SystemEvents.STREAM_ARCHIVED, SystemEvents.STREAM_DELETED, rows);
        });
    }

    /**
     * The batch as one multi-row statement: for small batches, where it beats arrays and the function.
     * A rejected append comes back as {@link Outcome.Rejected} without the stream's version (the
     * careful path finds it out).
     */
    private List<Outcome> executeValues(Connection connection, List<Append> appends) throws SQLException {
        int events = 0;
        for (Append append : appends) {
            events += append.events().size();
        }
        record Written(long version, LogPosition position) {
        }
        Map<String, Written> written = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(valuesSql(events))) {
            int p = 1;
            for (Append append : appends) {
                long expected = expectedCode(append.expected());
                List<EventData> list = append.events();
                for (int k = 0; k < list.size(); k++) {
                    EventData event = list.get(k);
                    statement.setString(p++, append.streamId());
                    statement.setLong(p++, expected);
                    statement.setInt(p++, k + 1);
                    statement.setObject(p++, event.eventId());
                    statement.setString(p++, event.type());
                    statement.setInt(p++, event.schemaVersion());
                    statement.setString(p++, event.payload());
                    statement.setString(p++, event.metadata());
                }
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Written row = new Written(rows.getLong(2), new LogPosition(rows.getLong(3), rows.getLong(4)));
                    written.merge(rows.getString(1), row, (a, b) -> a.version() > b.version() ? a : b);
                }
            }
        }
        List<Outcome> outcomes = new ArrayList<>(appends.size());
        for (Append append : appends) {
            Written last = written.get(append.streamId());
            outcomes.add(last == null
                    ? new Outcome.Rejected(UNKNOWN_VERSION, "")
                    : new Outcome.Done(new AppendResult(append.streamId(), last.version(), last.position(), false)));
        }
        return outcomes;
    }

    private static long expectedCode(ExpectedVersion expected) {
        return switch (expected) {
            case ExpectedVersion.Any any -> -1L;
            case ExpectedVersion.NoStream none -> 0L;
            case ExpectedVersion.Exactly exactly -> exactly.version();
        };
    }

    /**
     * Runs the statement for appends to distinct streams; one outcome per append, in order: {@link
     * Outcome.Done} or {@link Outcome.Rejected}. Throws what PostgreSQL throws, e.g. a unique violation
     * when another writer got in between.
     */
    List<Outcome> execute(Connection connection, List<Append> appends) throws SQLException {
        int n = appends.size();
        int total = 0;
        Set<String> streams = new HashSet<>();
        for (Append append : appends) {
            if (!streams.add(append.streamId())) {
                throw new IllegalStateException("one append statement got two appends to " + append.streamId());
            }
            total += append.events().size();
        }
        if (total <= MAX_VALUES_ROWS) {
            return executeValues(connection, appends);
        }
        return executeArrays(connection, appends);
    }

    /** The batch as arrays through the function {@code append_events}: for large batches. */
    private List<Outcome> executeArrays(Connection connection, List<Append> appends) throws SQLException {
        int n = appends.size();
        String[] streams = new String[n];
        Long[] expected = new Long[n];
        int events = 0;
        for (int i = 0; i < n; i++) {
            Append append = appends.get(i);
            streams[i] = append.streamId();
            expected[i] = expectedCode(append.expected());
            events += append.events().size();
        }
        Integer[] appendIndex = new Integer[events];
        Integer[] offset = new Integer[events];
        UUID[] ids = new UUID[events];
        String[] types = new String[events];
        Integer[] schemaVersions = new Integer[events];
        String[] payloads = new String[events];
        String[] metadata = new String[events];
        int e = 0;
        for (int i = 0; i < n; i++) {
            List<EventData> list = appends.get(i).events();
            for (int k = 0; k < list.size(); k++, e++) {
                EventData event = list.get(k);
                appendIndex[e] = i + 1;
                offset[e] = k + 1;
                ids[e] = event.eventId();
                types[e] = event.type();
                schemaVersions[e] = event.schemaVersion();
                payloads[e] = event.payload();
                metadata[e] = event.metadata();
            }
        }
        List<Outcome> outcomes = new ArrayList<>(n);
        try (PreparedStatement statement = connection.prepareStatement(appendSql)) {
            List<Array> arrays = List.of(
                    connection.createArrayOf("text", streams),
                    connection.createArrayOf("int8", expected),
                    connection.createArrayOf("int4", appendIndex),
                    connection.createArrayOf("int4", offset),
                    connection.createArrayOf("uuid", ids),
                    connection.createArrayOf("text", types),
                    connection.createArrayOf("int4", schemaVersions),
                    connection.createArrayOf("text", payloads),
                    connection.createArrayOf("text", metadata));
            for (int p = 0; p < arrays.size(); p++) {
                statement.setArray(p + 1, arrays.get(p));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    int i = rows.getInt(1) - 1;
                    long actual = rows.getLong(2);
                    String lastType = rows.getString(3);
                    long tx = rows.getLong(4);
                    if (rows.wasNull()) {
                        outcomes.add(new Outcome.Rejected(actual, lastType));
                    } else {
                        Append append = appends.get(i);
                        outcomes.add(new Outcome.Done(new AppendResult(append.streamId(), actual + append.events().size(),
                                new LogPosition(tx, rows.getLong(5)), false)));
                    }
                }
            }
        }
        if (outcomes.size() != n) {
            throw new IllegalStateException("the append statement answered for " + outcomes.size() + " of " + n + " appends");
        }
        return outcomes;
    }

    /**
     * Appends carefully on a connection in a transaction: first tells exact retries (answered from what
     * is stored) and reused ids (refused) from new appends, then runs the statement for the new ones
     * inside a savepoint, again as long as another writer gets in between (up to {@code rounds} times).
     * One outcome per append, in order; none is {@link Outcome.Rejected}. The caller commits.
     */
    List<Outcome> executeCarefully(Connection connection, List<Append> appends, int rounds) throws SQLException {
        Map<UUID, StoredEvent> stored = lookup(connection, appends);
        Outcome[] outcomes = new Outcome[appends.size()];
        List<Append> fresh = new ArrayList<>();
        List<Integer> freshIndex = new ArrayList<>();
        for (int i = 0; i < appends.size(); i++) {
            Append append = appends.get(i);
            Outcome known = stored.isEmpty() ? null : retryOutcome(append, stored);
            if (known != null) {
                outcomes[i] = known;
            } else {
                fresh.add(append);
                freshIndex.add(i);
            }
        }
        if (!fresh.isEmpty()) {
            List<Outcome> written = executeInSavepoint(connection, fresh, rounds);
            for (int j = 0; j < fresh.size(); j++) {
                Outcome outcome = written.get(j);
                if (outcome instanceof Outcome.Rejected rejected) {
                    outcome = new Outcome.Refused(refusal(fresh.get(j), rejected));
                }
                outcomes[freshIndex.get(j)] = outcome;
            }
        }
        return List.of(outcomes);
    }

    private List<Outcome> executeInSavepoint(Connection connection, List<Append> appends, int rounds) throws SQLException {
        SQLException last = null;
        for (int round = 0; round < rounds; round++) {
            var savepoint = connection.setSavepoint();
            try {
                // the function's answer says why an append was rejected, which is what is needed here
                List<Outcome> outcomes = executeArrays(connection, appends);
                connection.releaseSavepoint(savepoint);
                return outcomes;
            } catch (SQLException e) {
                connection.rollback(savepoint);
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
                // another writer took a version or an id meanwhile and has committed: look again
                last = e;
            }
        }
        throw new RacedTooOften(last);
    }

    /** A batch lost the race for a version or an id more often than allowed. */
    static final class RacedTooOften extends SQLException {
        RacedTooOften(SQLException last) {
            super("lost the race with other writers too often: " + last.getMessage(), last.getSQLState(), last);
        }
    }

    /** What a rejected new append is refused for. */
    static RuntimeException refusal(Append append, Outcome.Rejected rejected) {
        return switch (rejected.lastType()) {
            case SystemEvents.STREAM_DELETED -> StreamDeletedException.streamWasDeleted(append.streamId());
            case SystemEvents.STREAM_ARCHIVED -> StreamArchivedException.streamWasArchived(append.streamId());
            default -> WrongExpectedVersionException.conflictingAppend(append.streamId(), append.expected(), rejected.actual());
        };
    }

    private record StoredEvent(String streamId, long version, LogPosition position) {
    }

    private Map<UUID, StoredEvent> lookup(Connection connection, List<Append> appends) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        for (Append append : appends) {
            for (EventData event : append.events()) {
                ids.add(event.eventId());
            }
        }
        Map<UUID, StoredEvent> stored = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(lookupSql)) {
            statement.setArray(1, connection.createArrayOf("uuid", ids.toArray(UUID[]::new)));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    stored.put(rows.getObject(1, UUID.class), new StoredEvent(rows.getString(2), rows.getLong(3),
                            new LogPosition(rows.getLong(4), rows.getLong(5))));
                }
            }
        }
        return stored;
    }

    /** The outcome of an append some of whose ids are stored; null when none is. */
    private static Outcome retryOutcome(Append append, Map<UUID, StoredEvent> stored) {
        List<UUID> found = new ArrayList<>();
        for (EventData event : append.events()) {
            if (stored.containsKey(event.eventId())) {
                found.add(event.eventId());
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        if (found.size() == append.events().size()) {
            StoredEvent first = stored.get(found.get(0));
            boolean exact = true;
            for (int i = 0; i < found.size(); i++) {
                StoredEvent event = stored.get(found.get(i));
                exact &= event.streamId().equals(append.streamId()) && event.version() == first.version() + i;
            }
            if (exact) {
                StoredEvent last = stored.get(found.get(found.size() - 1));
                return new Outcome.Done(new AppendResult(append.streamId(), last.version(), last.position(), true));
            }
        }
        return new Outcome.Refused(DuplicateEventIdException.eventIdsAlreadyUsed(append.streamId(), found));
    }
}
