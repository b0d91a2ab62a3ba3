package dev.keel.shop.gateway.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import javax.sql.DataSource;

import dev.keel.postgres.Migrations;
import dev.keel.postgres.Transactions;

/**
 * The gateway's audit log of admin operations, in the gateway's own database. An operation is written
 * before it is sent ({@link #begin}) and finished with its result ({@link #finish}), so no operation goes
 * out unrecorded: if the log cannot be written, the operation is not sent.
 */
public final class AuditLog {

    /** The actions the gateway audits. */
    public static final Set<String> ACTIONS = Set.of("parked.retry", "parked.skip", "projection.rebuild");
    /** The outcomes an entry can have. */
    public static final Set<String> OUTCOMES = Set.of("pending", "succeeded", "refused", "failed", "unknown");

    static final String SCHEMA = "gateway";
    private static final int MAX_DETAIL = 1000;
    private static final String COLUMNS = "id, started_at, finished_at, actor, client, action, service, target, correlation_id,"
            + " outcome, http_status, detail";

    /**
     * An operation about to be sent.
     *
     * @param actor         who asked
     * @param client        from where
     * @param action        one of {@link #ACTIONS}
     * @param service       the service it goes to
     * @param target        what it is about
     * @param correlationId the request's correlation id
     */
    public record Operation(String actor, String client, String action, String service, String target, String correlationId) {
        public Operation {
            if (!ACTIONS.contains(action)) {
                throw new IllegalArgumentException("an audited action is one of " + ACTIONS + ", got '" + action + "'");
            }
        }
    }

    /** Filters of {@link #page}; an absent one matches everything. */
    public record Filter(Optional<String> action, Optional<String> service, Optional<String> outcome) {
        public static Filter none() {
            return new Filter(Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    private final DataSource dataSource;
    private final Clock clock;

    /** Migrates the log's table into the {@code gateway} schema of the gateway's database. */
    public AuditLog(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
        Migrations.migrate(dataSource, "gateway", SCHEMA, "db/shop/gateway");
    }

    /** Records an operation as pending and returns its entry's id. */
    public long begin(Operation operation) {
        return Transactions.inTransaction(dataSource, "audit " + operation.action(), connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + SCHEMA + ".audit_log"
                    + " (started_at, actor, client, action, service, target, correlation_id, outcome)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, 'pending') RETURNING id")) {
                insert.setTimestamp(1, Timestamp.from(clock.instant()));
                insert.setString(2, operation.actor());
                insert.setString(3, operation.client());
                insert.setString(4, operation.action());
                insert.setString(5, operation.service());
                insert.setString(6, operation.target());
                insert.setString(7, operation.correlationId());
                try (ResultSet row = insert.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        });
    }

    /** Records the result of a pending operation. */
    public void finish(long id, String outcome, int httpStatus, String detail) {
        if (!OUTCOMES.contains(outcome) || outcome.equals("pending")) {
            throw new IllegalArgumentException("an operation finishes as one of succeeded, refused, failed or unknown, got '" + outcome + "'");
        }
        String shortDetail = detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL - 1) + "…" : detail;
        Transactions.inTransaction(dataSource, "finish audit entry " + id, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + SCHEMA + ".audit_log"
                    + " SET finished_at = ?, outcome = ?, http_status = ?, detail = ? WHERE id = ? AND outcome = 'pending'")) {
                update.setTimestamp(1, Timestamp.from(clock.instant()));
                update.setString(2, outcome);
                update.setInt(3, httpStatus);
                update.setString(4, shortDetail);
                update.setLong(5, id);
                if (update.executeUpdate() != 1) {
                    throw new IllegalStateException("audit entry " + id + " does not exist or is already finished");
                }
                return null;
            }
        });
    }

    /** Entries newest first. */
    public AuditPage page(Filter filter, int limit, int offset) {
        List<Object> arguments = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        filter.action().ifPresent(action -> {
            where.append(" AND action = ?");
            arguments.add(action);
        });
        filter.service().ifPresent(service -> {
            where.append(" AND service = ?");
            arguments.add(service);
        });
        filter.outcome().ifPresent(outcome -> {
            where.append(" AND outcome = ?");
            arguments.add(outcome);
        });
        return Transactions.withConnection(dataSource, "read the audit log", connection -> {
            long total;
            try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM " + SCHEMA + ".audit_log" + where)) {
                bind(count, arguments);
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    total = row.getLong(1);
                }
            }
            List<AuditEntry> entries = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + SCHEMA + ".audit_log"
                    + where + " ORDER BY id DESC LIMIT ? OFFSET ?")) {
                bind(select, arguments);
                select.setInt(arguments.size() + 1, limit);
                select.setInt(arguments.size() + 2, offset);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        entries.add(entry(rows));
                    }
                }
            }
            return new AuditPage(entries, total, limit, offset);
        });
    }

    private static void bind(PreparedStatement statement, List<Object> arguments) throws SQLException {
        for (int i = 0; i < arguments.size(); i++) {
            statement.setObject(i + 1, arguments.get(i), Types.VARCHAR);
        }
    }

    private static AuditEntry entry(ResultSet row) throws SQLException {
        Timestamp finished = row.getTimestamp("finished_at");
        int status = row.getInt("http_status");
        OptionalInt httpStatus = row.wasNull() ? OptionalInt.empty() : OptionalInt.of(status);
        return new AuditEntry(row.getLong("id"), row.getTimestamp("started_at").toInstant(),
                Optional.ofNullable(finished).map(Timestamp::toInstant), row.getString("actor"), row.getString("client"),
                row.getString("action"), row.getString("service"), row.getString("target"), row.getString("correlation_id"),
                row.getString("outcome"), httpStatus, row.getString("detail"));
    }
}
