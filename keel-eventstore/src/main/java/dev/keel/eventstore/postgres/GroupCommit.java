package dev.keel.eventstore.postgres;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import dev.keel.eventstore.Append;
import dev.keel.eventstore.AppendResult;
import io.micrometer.core.instrument.DistributionSummary;
import org.jspecify.annotations.Nullable;

/**
 * Group commit: appends that arrive while the database is busy with earlier ones are written together,
 * in one transaction, by whichever caller gets to go next. Nobody waits for a timer: a lone writer
 * writes at once, on its own thread; under load, each transaction carries everything that queued up
 * meanwhile, so the cost of a commit is shared.
 *
 * <ul>
 *   <li>At most {@code maxConcurrentBatches} transactions are in flight; a caller that finds a free slot
 *       takes the queue (FIFO) and writes it, the others park until their append is done or a slot
 *       frees up.</li>
 *   <li>A batch holds at most one append per stream, and a stream is in at most one batch at a time,
 *       so the appends of one stream are written in the order they arrived and a batch's version checks
 *       never depend on each other.</li>
 *   <li>Each append has its own outcome: the {@link BatchWriter} completes every one — written, a retry
 *       of one written before, refused (conflict, archived...) or failed — and one append's conflict
 *       never fails its neighbours.</li>
 * </ul>
 */
final class GroupCommit {

    /** Writes a batch and completes every one of its appends. */
    @FunctionalInterface
    interface BatchWriter {
        void write(List<Pending> batch);
    }

    /** One caller's append, waiting for its outcome. */
    static final class Pending {
        private final Append append;
        private final Thread waiter;
        private volatile @Nullable AppendResult result;
        private volatile @Nullable RuntimeException failure;
        private volatile boolean done;

        Pending(Append append, Thread waiter) {
            this.append = append;
            this.waiter = waiter;
        }

        Append append() {
            return append;
        }

        boolean isDone() {
            return done;
        }

        void succeed(AppendResult outcome) {
            if (!done) {
                result = outcome;
                done = true;
                LockSupport.unpark(waiter);
            }
        }

        void fail(RuntimeException reason) {
            if (!done) {
                failure = reason;
                done = true;
                LockSupport.unpark(waiter);
            }
        }

        AppendResult outcome() {
            RuntimeException reason = failure;
            if (reason != null) {
                throw reason;
            }
            return result;
        }
    }

    /** Appends that must be waiting before a transaction starts beside one in flight. */
    static final int PARALLEL_BATCH_MINIMUM = 4;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Set<String> streamsInFlight = new HashSet<>();
    private final int maxConcurrentBatches;
    private final int maxAppendsPerBatch;
    private final int maxEventsPerBatch;
    private final BatchWriter writer;
    private final DistributionSummary batchSizes;
    private final AtomicInteger waiting = new AtomicInteger();
    private int batchesInFlight;

    GroupCommit(int maxConcurrentBatches, int maxAppendsPerBatch, int maxEventsPerBatch, BatchWriter writer,
                DistributionSummary batchSizes) {
        this.maxConcurrentBatches = maxConcurrentBatches;
        this.maxAppendsPerBatch = maxAppendsPerBatch;
        this.maxEventsPerBatch = maxEventsPerBatch;
        this.writer = writer;
        this.batchSizes = batchSizes;
    }

    /** How many appends wait for a transaction (a gauge). */
    int waiting() {
        return waiting.get();
    }

    /** Appends, alone or with others; returns when this append's outcome is known. */
    AppendResult append(Append append) {
        Pending mine = new Pending(append, Thread.currentThread());
        lock.lock();
        try {
            queue.addLast(mine);
            waiting.incrementAndGet();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (!mine.isDone()) {
            List<Pending> batch = takeBatch();
            if (batch != null) {
                writeAndRelease(batch);
                continue;
            }
            if (mine.isDone()) {
                // the wake-up that came with it may have been spent while waiting for the lock
                break;
            }
            LockSupport.park(this);
            // an append in the queue may be picked up by another caller at any moment, so it cannot be
            // withdrawn safely: finish it, and keep the interrupt for the caller
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return mine.outcome();
    }

    private @Nullable List<Pending> takeBatch() {
        lock.lock();
        try {
            if (batchesInFlight >= maxConcurrentBatches || queue.isEmpty()) {
                return null;
            }
            if (batchesInFlight > 0 && queue.size() < PARALLEL_BATCH_MINIMUM) {
                // a few appends wait for the transaction in flight rather than start a tiny one beside
                // it: the next one carries more (the finishing leader wakes them)
                return null;
            }
            List<Pending> batch = new ArrayList<>();
            Set<String> taken = new HashSet<>();
            int events = 0;
            for (Iterator<Pending> it = queue.iterator(); it.hasNext(); ) {
                Pending pending = it.next();
                String stream = pending.append().streamId();
                if (streamsInFlight.contains(stream) || taken.contains(stream)) {
                    continue; // it waits for the earlier append to its stream
                }
                int size = pending.append().events().size();
                if (!batch.isEmpty() && (batch.size() >= maxAppendsPerBatch || events + size > maxEventsPerBatch)) {
                    break;
                }
                it.remove();
                waiting.decrementAndGet();
                batch.add(pending);
                taken.add(stream);
                events += size;
            }
            if (batch.isEmpty()) {
                return null;
            }
            streamsInFlight.addAll(taken);
            batchesInFlight++;
            batchSizes.record(batch.size());
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void writeAndRelease(List<Pending> batch) {
        try {
            writer.write(batch);
        } catch (RuntimeException e) {
            batch.forEach(pending -> pending.fail(e));
        } catch (Error e) {
            batch.forEach(pending -> pending.fail(new IllegalStateException("append failed: " + e, e)));
            throw e;
        } finally {
            Pending next;
            lock.lock();
            try {
                batchesInFlight--;
                for (Pending pending : batch) {
                    streamsInFlight.remove(pending.append().streamId());
                }
                next = queue.peekFirst();
            } finally {
                lock.unlock();
            }
            if (next != null) {
                LockSupport.unpark(next.waiter);
            }
        }
    }
}
