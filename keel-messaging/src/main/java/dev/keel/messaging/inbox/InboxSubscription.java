package dev.keel.messaging.inbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;

import dev.keel.messaging.inbox.InboxTables.KeyRef;
import dev.keel.messaging.spi.TransportSubscription;
import dev.keel.postgres.Transactions;
import dev.keel.postgres.WakeSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running inbox: the transport subscription that feeds it and a background worker that retries due
 * messages, ends expired hold-backs and releases messages waiting behind retried or skipped ones.
 * Closing stops both; what was handled stays handled.
 */
public final class InboxSubscription implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InboxSubscription.class);
    private static final int DUE_BATCH = 100;
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);

    private final Inbox inbox;
    private final InboxEngine engine;
    private final Duration pollInterval;
    private final Duration handledRetention;
    private final WakeSignal wake = new WakeSignal();
    private final Thread worker;
    private volatile boolean running = true;
    private volatile TransportSubscription subscription;

    InboxSubscription(Inbox inbox, InboxEngine engine, Duration pollInterval, Duration handledRetention) {
        this.inbox = inbox;
        this.engine = engine;
        this.pollInterval = pollInterval;
        this.handledRetention = handledRetention;
        this.worker = Thread.ofPlatform().daemon().name("keel-inbox-" + inbox.consumer()).unstarted(this::work);
    }

    void started(TransportSubscription transportSubscription) {
        this.subscription = transportSubscription;
        worker.start();
    }

    /** The consumer group it reads in. */
    public String group() {
        TransportSubscription current = subscription;
        return current == null ? inbox.consumer() : current.group();
    }

    void wake() {
        wake.signal();
    }

    private void work() {
        long nextPrune = System.nanoTime();
        while (running) {
            try {
                List<KeyRef> due = engine.dueKeys(DUE_BATCH);
                for (KeyRef key : due) {
                    if (!running) {
                        return;
                    }
                    engine.advance(key.topic(), key.key());
                }
                inbox.metrics().parked(engine.countParked());
                if (System.nanoTime() - nextPrune >= 0) {
                    pruneHandled();
                    nextPrune = System.nanoTime() + PRUNE_EVERY.toNanos();
                }
                if (due.size() < DUE_BATCH) {
                    wake.await(pollInterval);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("inbox {}: background work failed, trying again in {}: {}", inbox.consumer(), pollInterval, e.toString());
                    try {
                        wake.await(pollInterval);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** Forgets handled ids older than the retention, a bounded batch at a time. */
    private void pruneHandled() {
        Timestamp before = Timestamp.from(inbox.clock().instant().minus(handledRetention));
        String sql = "DELETE FROM " + inbox.tables().schema + ".inbox_handled WHERE ctid IN (SELECT ctid FROM "
                + inbox.tables().schema + ".inbox_handled WHERE consumer = ? AND handled_at < ? LIMIT 10000)";
        Transactions.withConnection(inbox.dataSource(), "pruning handled ids of " + inbox.consumer(), (Connection connection) -> {
            try (PreparedStatement delete = connection.prepareStatement(sql)) {
                delete.setString(1, inbox.consumer());
                delete.setTimestamp(2, before);
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public void close() {
        TransportSubscription current = subscription;
        if (current != null) {
            current.close();
        }
        running = false;
        wake.signal();
        if (worker.isAlive() && Thread.currentThread() != worker) {
            try {
                worker.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        inbox.forget(this);
    }
}
