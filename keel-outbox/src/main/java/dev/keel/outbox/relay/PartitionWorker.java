package dev.keel.outbox.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.keel.messaging.spi.PublisherFencedException;
import dev.keel.messaging.spi.TransportPublisher;
import dev.keel.messaging.spi.WireRecord;
import dev.keel.postgres.CommittedLog;
import dev.keel.postgres.LogPosition;
import dev.keel.postgres.Transactions;
import dev.keel.postgres.WakeSignal;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one partition while its lease is held: opens a publisher under the partition's fencing id
 * (which fences whoever published the partition before), reads the checkpoint after that, then loops
 * read batch → publish (acknowledged) → checkpoint under the lease's epoch. Two things overlap to keep
 * latency and throughput up: while a full batch is being published the next one is read, and
 * checkpoints are written behind the publishing, in order, by a writer of their own (a checkpoint only
 * ever names acknowledged rows). Any failure throws the in-memory state away and starts again from the
 * durable checkpoint: rows may be published twice, never skipped, never out of order.
 */
final class PartitionWorker {

    private static final Logger log = LoggerFactory.getLogger(PartitionWorker.class);
    private static final long MAX_RECHECK_MILLIS = 64;

    private record Row(LogPosition position, RelaySource.SourceRow row) {
    }

    private final OutboxRelay relay;
    private final int partition;
    private final long epoch;
    private final CommittedLog<Row> rows;
    private final WakeSignal wake = new WakeSignal();
    private final Thread thread;
    private final ExecutorService prefetcher;
    private final ExecutorService checkpointer;
    private CompletableFuture<Void> lastCheckpoint = CompletableFuture.completedFuture(null);
    private volatile boolean running = true;
    private volatile boolean leaseLost;
    private volatile @Nullable RuntimeException checkpointFailure;
    private volatile long leaseValidUntil;
    private volatile LogPosition checkpoint = LogPosition.START;
    private volatile boolean draining;

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
        String name = "keel-relay-" + relay.name() + "-" + partition;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
        this.prefetcher = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-read").factory());
        this.checkpointer = Executors.newSingleThreadExecutor(Thread.ofVirtual().name(name + "-checkpoint").factory());
    }

    int partition() {
        return partition;
    }

    long epoch() {
        return epoch;
    }

    /** Up to where this partition is published and durably checkpointed. */
    LogPosition checkpoint() {
        return checkpoint;
    }

    /** Whether the last batch was full: the partition has a backlog. */
    boolean draining() {
        return draining;
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

    /** Asks the worker to stop after its current batch, and waits for it (and its checkpoints). */
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
        CompletableFuture<List<Row>> next = null;
        LogPosition position = LogPosition.START;
        Duration backoff = Duration.ofMillis(50);
        long recheck = 0;
        try {
            while (running) {
                try {
                    if (publisher == null) {
                        settleCheckpoints();
                        publisher = relay.transport().openPublisher(relay.fencingId(partition));
                        // read only after fencing: whatever the previous holder checkpointed is visible now
                        position = relay.leases().checkpoint(partition);
                        checkpoint = position;
                    }
                    if (leaseLost) {
                        log.info("relay {} partition {}: another relay took it over; stopping", relay.name(), partition);
                        return;
                    }
                    RuntimeException failedCheckpoint = checkpointFailure;
                    if (failedCheckpoint != null) {
                        throw failedCheckpoint;
                    }
                    if (System.nanoTime() - leaseValidUntil > 0) {
                        log.warn("relay {} partition {}: lease not renewed in time; stopping", relay.name(), partition);
                        return;
                    }
                    List<Row> batch = next != null ? join(next) : read(position);
                    next = null;
                    if (batch.isEmpty()) {
                        draining = false;
                        if (recheck > 0 && recheck <= MAX_RECHECK_MILLIS) {
                            // a commit was announced but its row is not visible yet: an older
                            // transaction still runs, and its end notifies nobody, so look again soon
                            wake.await(Duration.ofMillis(recheck));
                            recheck *= 2;
                        } else {
                            recheck = wake.await(relay.pollInterval()) ? 1 : 0;
                        }
                        continue;
                    }
                    recheck = 0;
                    LogPosition last = batch.get(batch.size() - 1).position();
                    draining = batch.size() == relay.batchSize();
                    if (draining) {
                        next = CompletableFuture.supplyAsync(() -> read(last), prefetcher);
                    }
                    publish(publisher, batch, last);
                    position = last;
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
                    next = null;
                    wake.await(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : backoff.multipliedBy(2);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(publisher);
            prefetcher.shutdownNow();
            settleCheckpoints();
            checkpointer.shutdown();
            relay.workerEnded(this);
        }
    }

    private void publish(TransportPublisher publisher, List<Row> batch, LogPosition last) {
        List<WireRecord> records = new ArrayList<>(batch.size());
        for (Row row : batch) {
            records.add(row.row().record());
        }
        publisher.publish(records);
        Instant acknowledged = relay.clock().instant();
        relay.metrics().published(batch.size());
        for (Row row : batch) {
            relay.metrics().lag(Duration.between(row.row().writtenAt(), acknowledged));
        }
        int count = batch.size();
        lastCheckpoint = lastCheckpoint.thenRunAsync(() -> writeCheckpoint(last, count), checkpointer);
    }

    /** Runs on the checkpoint writer, one batch after the other. */
    private void writeCheckpoint(LogPosition last, int count) {
        if (leaseLost || checkpointFailure != null) {
            return;
        }
        try {
            if (relay.leases().advance(partition, epoch, last, count)) {
                checkpoint = last;
            } else {
                leaseLost = true;
                wake.signal();
            }
        } catch (RuntimeException e) {
            checkpointFailure = e;
            wake.signal();
        }
    }

    /** Waits until every checkpoint handed to the writer is written (or failed), and forgets a failure. */
    private void settleCheckpoints() {
        lastCheckpoint.join();
        checkpointFailure = null;
    }

    private List<Row> read(LogPosition after) {
        return Transactions.withConnection(relay.dataSource(), "relay " + relay.name() + " reading partition " + partition,
                connection -> rows.readAfter(connection, after, relay.batchSize()));
    }

    private static List<Row> join(CompletableFuture<List<Row>> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    private void closeQuietly(@Nullable TransportPublisher publisher) {
        if (publisher != null) {
            try {
                publisher.close();
            } catch (RuntimeException e) {
                log.debug("closing the publisher of partition {} failed: {}", partition, e.toString());
            }
        }
    }
}
