package dev.keel.outbox.relay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.keel.postgres.LogPosition;
import dev.keel.postgres.Transactions;
import dev.keel.postgres.WakeSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes published rows of the partitions this relay holds, beside the workers rather than between
 * their batches, so that housekeeping never delays a message. While a partition is draining a backlog
 * it is pruned at most every {@link #WHILE_DRAINING}: publishing comes first.
 *
 * <p>It deletes in small transactions: a writing transaction holds the snapshot's xmin back while it
 * runs, which hides every outbox row committed meanwhile from the gap-free reader (ADR 0002), and its
 * commit notifies nobody. So each chunk is short, and the workers are woken after it.
 */
final class Pruner {

    private static final Logger log = LoggerFactory.getLogger(Pruner.class);
    private static final Duration EVERY = Duration.ofSeconds(1);
    private static final Duration WHILE_DRAINING = Duration.ofSeconds(30);
    private static final int CHUNK = 1_000;
    private static final int CHUNKS_PER_ROUND = 20;

    private final OutboxRelay relay;
    private final PrunableSource source;
    private final Duration age;
    private final WakeSignal wake = new WakeSignal();
    private final Map<Integer, Long> lastPruned = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    Pruner(OutboxRelay relay, PrunableSource source, Duration age) {
        this.relay = relay;
        this.source = source;
        this.age = age;
        this.thread = Thread.ofPlatform().daemon().name("keel-relay-" + relay.name() + "-pruner").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    void stop() {
        running = false;
        wake.signal();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (running) {
            try {
                for (PartitionWorker worker : relay.workers()) {
                    if (!running) {
                        return;
                    }
                    long now = System.nanoTime();
                    Long last = lastPruned.get(worker.partition());
                    if (worker.draining() && last != null && now - last < WHILE_DRAINING.toNanos()) {
                        continue;
                    }
                    LogPosition upTo = worker.checkpoint();
                    if (!upTo.equals(LogPosition.START)) {
                        prune(worker.partition(), upTo);
                    }
                    lastPruned.put(worker.partition(), now);
                }
            } catch (RuntimeException e) {
                log.warn("relay {}: pruning failed, trying again later: {}", relay.name(), e.toString());
            }
            try {
                wake.await(EVERY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void prune(int partition, LogPosition upTo) {
        String table = source.table();
        String sql = "DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + table
                + " WHERE (tx_id, position) <= (?::text::xid8, ?)"
                + (relay.partitions() > 1 ? " AND " + relay.partitionExpression() + " = " + partition : "")
                + " AND " + source.writtenAtColumn() + " < clock_timestamp() - make_interval(secs => ?)"
                + " ORDER BY tx_id, position LIMIT " + CHUNK + "))";
        for (int chunk = 0; chunk < CHUNKS_PER_ROUND && running; chunk++) {
            int deleted = Transactions.withConnection(relay.dataSource(), "relay " + relay.name() + " pruning partition " + partition,
                    (Connection connection) -> delete(connection, sql, upTo));
            if (deleted > 0) {
                relay.workers().forEach(PartitionWorker::wake);
            }
            if (deleted < CHUNK) {
                return;
            }
        }
    }

    private int delete(Connection connection, String sql, LogPosition upTo) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setString(1, Long.toString(upTo.txId()));
            delete.setLong(2, upTo.position());
            delete.setDouble(3, age.toNanos() / 1e9);
            return delete.executeUpdate();
        }
    }
}
