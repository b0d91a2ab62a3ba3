package dev.keel.shop.platform.testing;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import dev.keel.shop.platform.messaging.ServiceMessaging;

/**
 * A service's outbox relay group as its lease table shows it: which instance holds which partition,
 * and how many rows each partition published. For tests of instances sharing the publishing.
 */
public final class RelayGroup {

    /** Rows published per partition at one moment, with the partition's holder then. */
    public record Snapshot(Map<Integer, Long> published, Map<Integer, String> owners) {
    }

    private final DataSource dataSource;
    private final String relay;

    private RelayGroup(DataSource dataSource, String relay) {
        this.dataSource = dataSource;
        this.relay = relay;
    }

    /** The relay group {@code relay} (a service's outbox relay is named after the service). */
    public static RelayGroup of(DataSource dataSource, String relay) {
        return new RelayGroup(dataSource, relay);
    }

    /** Partitions held per instance, counting only live leases. */
    public Map<String, Integer> holders() {
        Map<String, Integer> holders = new HashMap<>();
        snapshot(" AND lease_until > clock_timestamp()").owners().values().forEach(owner -> holders.merge(owner, 1, Integer::sum));
        return holders;
    }

    /** Waits until {@code instances} instances each hold {@code partitionsEach} partitions. */
    public void awaitHeldBy(int instances, int partitionsEach) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<String, Integer> holders = holders();
            return holders.size() == instances && holders.values().stream().allMatch(held -> held == partitionsEach);
        });
    }

    /** How many instances are members of the group. */
    public int members() {
        return query("SELECT count(*) FROM " + ServiceMessaging.SCHEMA + ".relay_members WHERE relay = ?", rows -> {
            rows.next();
            return rows.getInt(1);
        });
    }

    public Snapshot snapshot() {
        return snapshot("");
    }

    /** Rows published since {@code before}, per instance that holds the partitions now. */
    public Map<String, Long> publishedSince(Snapshot before) {
        Snapshot now = snapshot();
        Map<String, Long> published = new HashMap<>();
        now.owners().forEach((partition, owner) ->
                published.merge(owner, now.published().get(partition) - before.published().getOrDefault(partition, 0L), Long::sum));
        return published;
    }

    private Snapshot snapshot(String condition) {
        return query("SELECT partition, published, owner FROM " + ServiceMessaging.SCHEMA + ".relay_partitions WHERE relay = ?" + condition,
                rows -> {
                    Map<Integer, Long> published = new HashMap<>();
                    Map<Integer, String> owners = new HashMap<>();
                    while (rows.next()) {
                        published.put(rows.getInt(1), rows.getLong(2));
                        if (rows.getString(3) != null) {
                            owners.put(rows.getInt(1), rows.getString(3));
                        }
                    }
                    return new Snapshot(published, owners);
                });
    }

    private interface Rows<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> T query(String sql, Rows<T> reader) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, relay);
            try (ResultSet rows = select.executeQuery()) {
                return reader.read(rows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read relay group " + relay, e);
        }
    }
}
