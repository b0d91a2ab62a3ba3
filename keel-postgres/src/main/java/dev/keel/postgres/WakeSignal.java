package dev.keel.postgres;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A coalescing wake-up for loops that follow a log: a {@link NotificationListener} callback (or a
 * writer in the same process) calls {@link #signal()}; the loop calls {@link #await(Duration)} between
 * reads, which returns at once if a signal came since the last wait, else when one comes or the poll
 * interval is over. Any number of signals before a wait count as one.
 *
 * <pre>{@code
 * WakeSignal wake = new WakeSignal();
 * listener.onNotify("keel_events", wake::signal);
 * while (running) {
 *     List<Row> batch = log.readAfter(connection, checkpoint, 500);
 *     ...
 *     if (batch.isEmpty()) wake.await(Duration.ofSeconds(1));   // polling is only the fallback
 * }
 * }</pre>
 */
public final class WakeSignal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private boolean pending;

    public void signal() {
        lock.lock();
        try {
            pending = true;
            signalled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until signalled or the timeout passes; clears the signal.
     *
     * @return whether a signal came (false: the timeout passed)
     */
    public boolean await(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (!pending && remaining > 0) {
                remaining = signalled.awaitNanos(remaining);
            }
            boolean wasSignalled = pending;
            pending = false;
            return wasSignalled;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to the timeout, in milliseconds; see {@link #await(Duration)}. */
    public boolean awaitMillis(long timeoutMillis) throws InterruptedException {
        return await(Duration.of(timeoutMillis, TimeUnit.MILLISECONDS.toChronoUnit()));
    }
}
