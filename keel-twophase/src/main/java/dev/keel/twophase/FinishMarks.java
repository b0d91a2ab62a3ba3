package dev.keel.twophase;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keel.postgres.WakeSignal;

/**
 * Marks committed transactions finished in the decision log in the background, many per statement:
 * the mark only spares recovery some work, so it need not delay the caller. Marks not written when
 * the process dies are written by the next recovery pass, which finds those transactions finished.
 */
final class FinishMarks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FinishMarks.class);
    private static final int BATCH = 1_000;

    private final String coordinator;
    private final DecisionLog decisions;
    private final ConcurrentLinkedQueue<UUID> queue = new ConcurrentLinkedQueue<>();
    private final WakeSignal wake = new WakeSignal();
    private volatile boolean closed;
    private @Nullable Thread writer;

    FinishMarks(String coordinator, DecisionLog decisions) {
        this.coordinator = coordinator;
        this.decisions = decisions;
    }

    FinishMarks start() {
        writer = Thread.ofVirtual().name("keel-twophase-finish-" + coordinator).start(this::writeUntilClosed);
        return this;
    }

    void add(UUID transaction) {
        queue.add(transaction);
        wake.signal();
    }

    private void writeUntilClosed() {
        while (true) {
            List<UUID> batch = new ArrayList<>();
            for (UUID id = queue.poll(); id != null; id = batch.size() < BATCH ? queue.poll() : null) {
                batch.add(id);
            }
            if (!batch.isEmpty()) {
                try {
                    decisions.markFinished(coordinator, batch);
                } catch (SQLException e) {
                    log.debug("two-phase coordinator '{}': marking {} transactions finished failed; recovery will", coordinator, batch.size(), e);
                }
                continue;
            }
            if (closed) {
                return;
            }
            try {
                wake.await(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        closed = true;
        wake.signal();
        Thread running = writer;
        if (running != null) {
            try {
                running.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
