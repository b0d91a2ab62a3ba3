package dev.keel.outbox.relay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.keel.messaging.spi.PublisherFencedException;
import dev.keel.messaging.spi.TransportPublisher;
import dev.keel.messaging.spi.WireRecord;
import dev.keel.postgres.CommittedLog;
import dev.keel.postgres.LogPosition;
import dev.keel.postgres.Transactions;
import dev.keel.postgres.WakeSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one partition while its lease is held: opens a publisher under the partition's fencing id
 * (which fences whoever published the partition before), reads the checkpoint after that, then loops
 * read batch → publish (acknowledged) → checkpoint under the lease's epoch. Any failure throws the
 * in-memory state away and starts again from the durable checkpoint: rows may be published twice,
 * never skipped, never out of order.
 */
final class PartitionWorker {

    private static final Logger log = LoggerFactory.getLogger(PartitionWorker.class);
    private static final Duration PRUNE_EVERY = Duration.ofSeconds(1);
    private static final int PRUNE_LIMIT = 20_000;

    private record Row(LogPosition position, RelaySource.SourceRow row) {
    }

    private final OutboxRelay relay;
    private final int partition;
    private final long epoch;
    private final CommittedLog<Row> rows;
    private final WakeSignal wake = new WakeSignal();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long leaseValidUntil;

    PartitionWorker(OutboxRelay relay, int partition, long epoch, long leaseValidUntil) {
        this.relay = relay;
        this.partition = partition;
        this.epoch = epoch;
        this.leaseValidUntil = leaseValidUntil;
        CommittedLog.Builder<Row> builder = CommittedLog.<Row>of(relay.source().table(),
                (row, position) -> new Row(position, relay.source().map(row))).columns(relay.source().columns());
        if (relay.partitions() > 1) {
            builder.where(relay.partitionExpression() + " = ?", (statement, index) -> {
                statement.setInt(index, partition);
                return index + 1;
            });
        }
        this.rows = builder.build();
        this.thread = Thread.ofPlatform().daemon().name("keel-relay-" + relay.name() + "-" + partition).unstarted(this::run);
    }

    int partition() {
        return partition;
    }

    long epoch() {
        return epoch;
    }

    void start() {
        thread.start();
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    void leaseRenewed(long validUntil) {
        this.leaseValidUntil = validUntil;
    }

    void wake() {
        wake.signal();
    }

    /** Asks the worker to stop after its current batch, and waits for it. */
    void stop() {
        running = false;
        wake.signal();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        TransportPublisher publisher = null;
        LogPosition checkpoint = null;
        long nextPrune = System.nanoTime();
        Duration backoff = Duration.ofMillis(50);
        try {
            while (running) {
                try {
                    if (publisher == null) {
                        publisher = relay.transport().openPublisher(relay.fencingId(partition));
                        // read only after fencing: whatever the previous holder checkpointed is visible now
                        checkpoint = relay.leases().checkpoint(partition);
                    }
                    if (System.nanoTime() - leaseValidUntil > 0) {
                        log.warn("relay {} partition {}: lease not renewed in time; stopping", relay.name(), partition);
                        return;
                    }
                    List<Row> batch = read(checkpoint);
                    if (batch.isEmpty()) {
                        nextPrune = pruneIfDue(checkpoint, nextPrune);
                        wake.await(relay.pollInterval());
                        continue;
                    }
                    List<WireRecord> records = new ArrayList<>(batch.size());
                    for (Row row : batch) {
                        records.add(row.row().record());
                    }
                    publisher.publish(records);
                    Instant acknowledged = relay.clock().instant();
                    LogPosition last = batch.get(batch.size() - 1).position();
                    if (!relay.leases().advance(partition, epoch, last, batch.size())) {
                        log.info("relay {} partition {}: another relay took it over; stopping", relay.name(), partition);
                        return;
                    }
                    checkpoint = last;
                    relay.metrics().published(batch.size());
                    for (Row row : batch) {
                        relay.metrics().lag(Duration.between(row.row().writtenAt(), acknowledged));
                    }
                    nextPrune = pruneIfDue(checkpoint, nextPrune);
                    backoff = Duration.ofMillis(50);
                } catch (PublisherFencedException e) {
                    log.info("relay {} partition {}: fenced by a newer publisher; stopping", relay.name(), partition);
                    return;
                } catch (RuntimeException e) {
                    if (!running) {
                        return;
                    }
                    log.warn("relay {} partition {}: {}; starting again from the checkpoint in {} ms", relay.name(), partition,
                            e.toString(), backoff.toMillis());
                    closeQuietly(publisher);
                    publisher = null;
                    wake.await(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : backoff.multipliedBy(2);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(publisher);
            relay.workerEnded(this);
        }
    }

    private List<Row> read(LogPosition after) {
        return Transactions.withConnection(relay.dataSource(), "relay " + relay.name() + " reading partition " + partition,
                connection -> rows.readAfter(connection, after, relay.batchSize()));
    }

    private long pruneIfDue(LogPosition checkpoint, long nextPrune) {
        if (!(relay.source() instanceof PrunableSource prunable) || !(relay.retention() instanceof Retention.DeleteAfter delete)
                || System.nanoTime() - nextPrune < 0 || checkpoint.equals(LogPosition.START)) {
            return nextPrune;
        }
        String table = prunable.table();
        String sql = "DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + table
                + " WHERE (tx_id, position) <= (?::text::xid8, ?)"
                + (relay.partitions() > 1 ? " AND " + relay.partitionExpression() + " = " + partition : "")
                + " AND " + prunable.writtenAtColumn() + " < clock_timestamp() - make_interval(secs => ?)"
                + " ORDER BY tx_id, position LIMIT " + PRUNE_LIMIT + "))";
        Transactions.withConnection(relay.dataSource(), "relay " + relay.name() + " pruning partition " + partition,
                (Connection connection) -> prune(connection, sql, checkpoint, delete.age()));
        return System.nanoTime() + PRUNE_EVERY.toNanos();
    }

    private static int prune(Connection connection, String sql, LogPosition upTo, Duration age) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setString(1, Long.toString(upTo.txId()));
            delete.setLong(2, upTo.position());
            delete.setDouble(3, age.toNanos() / 1e9);
            return delete.executeUpdate();
        }
    }

    private void closeQuietly(TransportPublisher publisher) {
        if (publisher != null) {
            try {
                publisher.close();
            } catch (RuntimeException e) {
                log.debug("closing the publisher of partition {} failed: {}", partition, e.toString());
            }
        }
    }
}
