package dev.keel.shop.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import dev.keel.postgres.Migrations;
import dev.keel.postgres.SqlNames;
import dev.keel.postgres.Transactions;
import io.javalin.http.Context;

/**
 * Makes creating POSTs safe to retry: a request with an {@code Idempotency-Key} header has its effect
 * once; a retry with the same key and the same body gets the first response again, and a retry with the
 * same key but another body is refused (422). The key is claimed in the same transaction as the
 * request's effects, so a crash in between leaves neither, and two concurrent requests with one key
 * serialise on it: the second waits for the first and then replays its response.
 *
 * <pre>{@code
 * Response response = Transactions.inTransaction(dataSource, "register customer", connection ->
 *         keys.once(connection, ctx, "register-customer", () -> register(connection, request)));
 * response.writeTo(ctx);
 * }</pre>
 */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");

    /** A response to remember: status and JSON body bytes. */
    public record Response(int status, byte[] body) {
        public void writeTo(Context ctx) {
            ctx.status(status).contentType("application/json").result(body);
        }
    }

    /** The work a request does, returning its response. */
    @FunctionalInterface
    public interface Work {
        Response run() throws SQLException;
    }

    private final String table;

    /** Migrates the key table into {@code schema} of the service's database. */
    public IdempotencyKeys(DataSource dataSource, String schema) {
        Migrations.migrate(dataSource, "platform", schema, "db/keel/platform");
        this.table = SqlNames.qualified(schema, "idempotency_keys");
    }

    /**
     * Runs {@code work} unless this request's key was used before, inside the caller's transaction on
     * {@code connection}. Without the header the work simply runs.
     */
    public Response once(Connection connection, Context ctx, String operation, Work work) throws SQLException {
        String key = ctx.header(HEADER);
        if (key == null) {
            return work.run();
        }
        if (!KEY.matcher(key).matches()) {
            throw ProblemException.invalid(HEADER, HEADER + " must be 1 to 200 visible ASCII characters");
        }
        String hash = requestHash(ctx);
        Optional<Response> earlier = claimOrReplay(connection, operation, key, hash);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        Response response = work.run();
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE " + table + " SET response_status = ?, response_body = ? WHERE operation = ? AND idempotency_key = ?")) {
            update.setInt(1, response.status());
            update.setBytes(2, response.body());
            update.setString(3, operation);
            update.setString(4, key);
            update.executeUpdate();
        }
        return response;
    }

    /** Deletes keys older than the given age; returns how many. */
    public int prune(DataSource dataSource, Duration olderThan) {
        return Transactions.inTransaction(dataSource, "prune idempotency keys", connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM " + table + " WHERE created_at < now() - make_interval(secs => ?)")) {
                delete.setDouble(1, olderThan.toMillis() / 1000.0);
                return delete.executeUpdate();
            }
        });
    }

    private Optional<Response> claimOrReplay(Connection connection, String operation, String key, String hash) throws SQLException {
        // A concurrent request with the same key blocks here until the first one commits or rolls back.
        try (PreparedStatement claim = connection.prepareStatement(
                "INSERT INTO " + table + " (operation, idempotency_key, request_hash, response_status, response_body)"
                        + " VALUES (?, ?, ?, 0, ''::bytea) ON CONFLICT DO NOTHING")) {
            claim.setString(1, operation);
            claim.setString(2, key);
            claim.setString(3, hash);
            if (claim.executeUpdate() == 1) {
                return Optional.empty();
            }
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT request_hash, response_status, response_body FROM " + table + " WHERE operation = ? AND idempotency_key = ?")) {
            select.setString(1, operation);
            select.setString(2, key);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("idempotency key " + key + " vanished while it was being replayed");
                }
                if (!row.getString(1).equals(hash)) {
                    throw ProblemException.unprocessable("idempotency-key-reused", "Idempotency key reused",
                            "the Idempotency-Key '" + key + "' was already used for a different request");
                }
                return Optional.of(new Response(row.getInt(2), row.getBytes(3)));
            }
        }
    }

    private static String requestHash(Context ctx) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(ctx.method().name().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) ' ');
            digest.update(ctx.path().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
            digest.update(ctx.bodyAsBytes());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
