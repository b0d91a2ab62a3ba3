package dev.keel.outbox.relay;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import dev.keel.core.NonTransientException;
import dev.keel.postgres.LogPosition;
import dev.keel.postgres.Transactions;

/**
 * The relay group's partition leases and checkpoints in PostgreSQL. Times are the database's
 * ({@code clock_timestamp()}), so relays on different machines agree on who holds what. Every takeover
 * raises a partition's epoch, and a checkpoint is only written under the epoch that holds the lease:
 * a relay that lost its lease cannot move the checkpoint.
 */
final class Leases {

    private final DataSource dataSource;
    private final String relay;
    private final String member;
    private final int partitions;
    private final double leaseSeconds;
    private final String partitionsTable;
    private final String membersTable;

    Leases(DataSource dataSource, String schema, String relay, String member, int partitions, Duration lease) {
        this.dataSource = dataSource;
        this.relay = relay;
        this.member = member;
        this.partitions = partitions;
        this.leaseSeconds = lease.toNanos() / 1e9;
        this.partitionsTable = schema + ".relay_partitions";
        this.membersTable = schema + ".relay_members";
    }

    /** Creates the group's partitions if they are missing; refuses a different partition count. */
    void setUp() {
        Transactions.inTransaction(dataSource, "setting up relay " + relay, connection -> {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "keel-relay-setup:" + relay);
                lock.execute();
            }
            try (PreparedStatement check = connection.prepareStatement("SELECT DISTINCT partitions FROM " + partitionsTable
                    + " WHERE relay = ?")) {
                check.setString(1, relay);
                try (ResultSet row = check.executeQuery()) {
                    if (row.next() && row.getInt(1) != partitions) {
                        throw new NonTransientException("relay " + relay + " was set up with " + row.getInt(1)
                                + " partitions; it cannot run with " + partitions + " (their checkpoints would not match)");
                    }
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + partitionsTable
                    + " (relay, partition, partitions) SELECT ?, p, ? FROM generate_series(0, ? - 1) AS p ON CONFLICT DO NOTHING")) {
                insert.setString(1, relay);
                insert.setInt(2, partitions);
                insert.setInt(3, partitions);
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** Says this member is alive, forgets dead members, and returns how many are alive. */
    int heartbeat() {
        return Transactions.inTransaction(dataSource, "relay " + relay + " heartbeat", connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + membersTable
                    + " (relay, member, seen_until) VALUES (?, ?, clock_timestamp() + make_interval(secs => ?))"
                    + " ON CONFLICT (relay, member) DO UPDATE SET seen_until = EXCLUDED.seen_until")) {
                upsert.setString(1, relay);
                upsert.setString(2, member);
                upsert.setDouble(3, leaseSeconds);
                upsert.executeUpdate();
            }
            try (PreparedStatement forget = connection.prepareStatement("DELETE FROM " + membersTable
                    + " WHERE relay = ? AND seen_until < clock_timestamp()")) {
                forget.setString(1, relay);
                forget.executeUpdate();
            }
            try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM " + membersTable + " WHERE relay = ?")) {
                count.setString(1, relay);
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    return row.getInt(1);
                }
            }
        });
    }

    /** Extends this member's leases; returns the partitions it still holds, with their epochs. */
    Map<Integer, Long> renew() {
        return Transactions.withConnection(dataSource, "relay " + relay + " renewing leases", connection -> {
            try (PreparedStatement renew = connection.prepareStatement("UPDATE " + partitionsTable
                    + " SET lease_until = clock_timestamp() + make_interval(secs => ?)"
                    + " WHERE relay = ? AND owner = ? RETURNING partition, epoch")) {
                renew.setDouble(1, leaseSeconds);
                renew.setString(2, relay);
                renew.setString(3, member);
                return partitionsAndEpochs(renew);
            }
        });
    }

    /** Takes up to {@code count} partitions nobody holds (or whose lease expired); returns them with their new epochs. */
    Map<Integer, Long> claim(int count) {
        if (count <= 0) {
            return Map.of();
        }
        return Transactions.inTransaction(dataSource, "relay " + relay + " claiming partitions", connection -> {
            try (PreparedStatement claim = connection.prepareStatement("UPDATE " + partitionsTable + " p"
                    + " SET owner = ?, epoch = p.epoch + 1, lease_until = clock_timestamp() + make_interval(secs => ?)"
                    + " WHERE p.relay = ? AND p.partition IN (SELECT partition FROM " + partitionsTable
                    + "   WHERE relay = ? AND (owner IS NULL OR lease_until < clock_timestamp())"
                    + "   ORDER BY partition LIMIT ? FOR UPDATE SKIP LOCKED)"
                    + " RETURNING p.partition, p.epoch")) {
                claim.setString(1, member);
                claim.setDouble(2, leaseSeconds);
                claim.setString(3, relay);
                claim.setString(4, relay);
                claim.setInt(5, count);
                return partitionsAndEpochs(claim);
            }
        });
    }

    /** Gives a partition back (its worker has stopped), so another member can take it at once. */
    void release(int partition, long epoch) {
        Transactions.withConnection(dataSource, "relay " + relay + " releasing partition " + partition, connection -> {
            try (PreparedStatement release = connection.prepareStatement("UPDATE " + partitionsTable
                    + " SET owner = NULL, lease_until = NULL WHERE relay = ? AND partition = ? AND owner = ? AND epoch = ?")) {
                release.setString(1, relay);
                release.setInt(2, partition);
                release.setString(3, member);
                release.setLong(4, epoch);
                return release.executeUpdate();
            }
        });
    }

    /** Leaves the group: forgets the member (its partitions must have been released). */
    void leave() {
        Transactions.withConnection(dataSource, "relay " + relay + " leaving", connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + membersTable + " WHERE relay = ? AND member = ?")) {
                delete.setString(1, relay);
                delete.setString(2, member);
                return delete.executeUpdate();
            }
        });
    }

    LogPosition checkpoint(int partition) {
        return Transactions.withConnection(dataSource, "relay " + relay + " reading checkpoint " + partition, connection -> {
            try (PreparedStatement read = connection.prepareStatement("SELECT checkpoint_tx, checkpoint_position FROM "
                    + partitionsTable + " WHERE relay = ? AND partition = ?")) {
                read.setString(1, relay);
                read.setInt(2, partition);
                try (ResultSet row = read.executeQuery()) {
                    if (!row.next()) {
                        throw new NonTransientException("relay " + relay + " has no partition " + partition);
                    }
                    return new LogPosition(row.getLong(1), row.getLong(2));
                }
            }
        });
    }

    /**
     * Moves a partition's checkpoint forward, if this member still holds it under {@code epoch};
     * false if it does not (another relay took over: the caller must stop).
     */
    boolean advance(int partition, long epoch, LogPosition to, int published) {
        return Transactions.withConnection(dataSource, "relay " + relay + " checkpointing partition " + partition, connection -> {
            try (PreparedStatement advance = connection.prepareStatement("UPDATE " + partitionsTable
                    + " SET checkpoint_tx = ?, checkpoint_position = ?, published = published + ?"
                    + " WHERE relay = ? AND partition = ? AND owner = ? AND epoch = ?")) {
                advance.setLong(1, to.txId());
                advance.setLong(2, to.position());
                advance.setInt(3, published);
                advance.setString(4, relay);
                advance.setInt(5, partition);
                advance.setString(6, member);
                advance.setLong(7, epoch);
                return advance.executeUpdate() == 1;
            }
        });
    }

    String partitionsTable() {
        return partitionsTable;
    }

    private static Map<Integer, Long> partitionsAndEpochs(PreparedStatement statement) throws SQLException {
        Map<Integer, Long> result = new HashMap<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                result.put(rows.getInt(1), rows.getLong(2));
            }
        }
        return result;
    }
}
