package dev.keel.postgres;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import javax.sql.DataSource;

import dev.keel.core.FailureClassifier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a log from a checkpoint, forever: reads what is there (catching up), then waits to be woken
 * and reads again (live). The one loop behind event-store subscriptions, the outbox relay and
 * projections, so that none of them writes its own.
 *
 * <p>Catching up and going live are the same loop over the same reader — "read after the last
 * position handled" — so there is no switch-over, and nothing can fall between the two or be handed
 * over twice. With a {@link CommittedLog} source the order is the gap-free log order (ADR 0002).
 *
 * <p>Two threads: a <em>reader</em> reads batches ahead into a buffer of at most {@code bufferSize}
 * rows, a <em>handler</em> hands them to the {@link Handler} in order. When the handler is slower than
 * the log, the buffer fills and the reader stops reading (back-pressure): memory stays bounded however
 * far behind the follower is. Waking is cheap and coalescing: wire {@link #wake()} to a
 * {@link NotificationListener} callback (and to local writers); the poll interval is only the fallback
 * for a lost notification.
 *
 * <p>Failures: a read that fails transiently (per {@link FailureClassifier}) is retried with backoff; a
 * handler that throws a transient failure gets the same batch again, with backoff. Anything else stops
 * the follower in state {@link State#FAILED} with its {@link #failure()}; {@link #position()} is then the
 * last row handled, from which a new follower resumes.
 *
 * <pre>{@code
 * LogFollower<Row> follower = LogFollower.builder("relay", LogFollower.source(dataSource, log), Row::position)
 *         .after(checkpoint)
 *         .start(batch -> publish(batch));
 * listener.onNotify("keel_outbox", follower::wake);
 * ...
 * follower.close();
 * }</pre>
 */
public final class LogFollower<R> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LogFollower.class);
    private static final long IDLE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Reads up to {@code limit} rows after {@code after}, in log order. */
    @FunctionalInterface
    public interface Source<R> {
        List<R> readAfter(LogPosition after, int limit) throws Exception;
    }

    /** Handles one batch of rows (never empty), in log order. */
    @FunctionalInterface
    public interface Handler<R> {
        void handle(List<R> batch) throws Exception;
    }

    public enum State {
        /** Rows are being read or handled that were already in the log when last looked. */
        CATCHING_UP,
        /** Everything readable has been handled; waiting for more. */
        LIVE,
        /** Stopped by a failure that retrying cannot fix; see {@link #failure()}. */
        FAILED,
        /** Closed. */
        CLOSED
    }

    private final String name;
    private final Source<R> source;
    private final Function<? super R, LogPosition> positionOf;
    private final Handler<R> handler;
    private final int batchSize;
    private final Duration pollInterval;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final FailureClassifier classifier;

    private final WakeSignal wakeSignal = new WakeSignal();
    private final Semaphore bufferPermits;
    private final LinkedBlockingQueue<List<R>> buffer = new LinkedBlockingQueue<>();
    private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    private final Thread readerThread;
    private final Thread handlerThread;

    private volatile boolean running = true;
    private volatile boolean lastReadEmpty;
    private volatile LogPosition readPosition;
    private volatile LogPosition handledPosition;

    private LogFollower(Builder<R> builder, Handler<R> handler) {
        this.name = builder.name;
        this.source = builder.source;
        this.positionOf = builder.positionOf;
        this.handler = handler;
        this.batchSize = Math.min(builder.batchSize, builder.bufferSize);
        this.pollInterval = builder.pollInterval;
        this.initialBackoff = builder.initialBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.classifier = builder.classifier;
        this.bufferPermits = new Semaphore(builder.bufferSize);
        this.readPosition = builder.after;
        this.handledPosition = builder.after;
        this.readerThread = Thread.ofPlatform().daemon().name("keel-follow-" + name + "-read").unstarted(this::readLoop);
        this.handlerThread = Thread.ofPlatform().daemon().name("keel-follow-" + name + "-handle").unstarted(this::handleLoop);
    }

    /**
     * A follower named {@code name} (thread names, logs) reading from {@code source}; {@code positionOf}
     * gives each row's place in the log.
     */
    public static <R> Builder<R> builder(String name, Source<R> source, Function<? super R, LogPosition> positionOf) {
        return new Builder<>(name, source, positionOf);
    }

    /** A source that reads a {@link CommittedLog} on a pooled connection, one auto-commit query per read. */
    public static <R> Source<R> source(DataSource dataSource, CommittedLog<R> committedLog) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(committedLog, "committedLog");
        return (after, limit) -> {
            try (Connection connection = dataSource.getConnection()) {
                return committedLog.readAfter(connection, after, limit);
            }
        };
    }

    public String name() {
        return name;
    }

    /** Look again now: a notification came, or a local writer committed. Cheap; call it freely. */
    public void wake() {
        wakeSignal.signal();
    }

    /** The position of the last row handled (where a follower that takes over resumes). */
    public LogPosition position() {
        return handledPosition;
    }

    public State state() {
        if (failure.get() != null) {
            return State.FAILED;
        }
        if (!running) {
            return State.CLOSED;
        }
        return lastReadEmpty && handledPosition.equals(readPosition) ? State.LIVE : State.CATCHING_UP;
    }

    /** What stopped the follower, if a failure did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    private void readLoop() {
        Duration backoff = initialBackoff;
        while (running) {
            List<R> batch;
            try {
                batch = source.readAfter(readPosition, batchSize);
                backoff = initialBackoff;
            } catch (Error e) {
                fail(e);
                throw e;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                if (!classifier.isTransient(e)) {
                    fail(e);
                    return;
                }
                log.warn("follower {}: reading after {} failed, retrying in {} ms: {}", name, readPosition, backoff.toMillis(), e.toString());
                pause(backoff);
                backoff = doubled(backoff);
                continue;
            }
            if (batch.isEmpty()) {
                lastReadEmpty = true;
                awaitWake();
                continue;
            }
            lastReadEmpty = false;
            if (!acquire(batch.size())) {
                return;
            }
            readPosition = positionOf.apply(batch.get(batch.size() - 1));
            buffer.add(List.copyOf(batch));
        }
    }

    private void handleLoop() {
        while (running) {
            List<R> batch;
            try {
                batch = buffer.poll(IDLE_CHECK_NANOS, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (batch == null) {
                continue;
            }
            if (!handleWithRetries(batch)) {
                return;
            }
            handledPosition = positionOf.apply(batch.get(batch.size() - 1));
            bufferPermits.release(batch.size());
        }
    }

    private boolean handleWithRetries(List<R> batch) {
        Duration backoff = initialBackoff;
        while (running) {
            try {
                handler.handle(batch);
                return true;
            } catch (Exception e) {
                if (!running) {
                    return false;
                }
                if (!classifier.isTransient(e)) {
                    fail(e);
                    return false;
                }
                log.warn("follower {}: handling a batch after {} failed, retrying in {} ms: {}", name, handledPosition,
                        backoff.toMillis(), e.toString());
                pause(backoff);
                backoff = doubled(backoff);
            } catch (Error e) {
                fail(e);
                throw e;
            }
        }
        return false;
    }

    private boolean acquire(int permits) {
        try {
            while (running) {
                if (bufferPermits.tryAcquire(permits, IDLE_CHECK_NANOS, TimeUnit.NANOSECONDS)) {
                    return true;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitWake() {
        try {
            wakeSignal.await(pollInterval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void pause(Duration duration) {
        try {
            // a wake-up or close cuts the pause short; the loop then checks running
            wakeSignal.await(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private Duration doubled(Duration backoff) {
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(maxBackoff) > 0 ? maxBackoff : next;
    }

    private void fail(Throwable cause) {
        if (failure.compareAndSet(null, cause)) {
            log.error("follower {} stopped at {}: {}", name, handledPosition, cause.toString(), cause);
        }
        running = false;
        wakeSignal.signal();
    }

    private LogFollower<R> start() {
        readerThread.start();
        handlerThread.start();
        return this;
    }

    /** Stops reading and handling; waits (up to 10 s) for a batch being handled to finish. */
    @Override
    public void close() {
        running = false;
        wakeSignal.signal();
        join(readerThread);
        join(handlerThread);
    }

    private void join(Thread thread) {
        if (thread == Thread.currentThread()) {
            return;
        }
        try {
            if (!thread.join(Duration.ofSeconds(10))) {
                log.warn("follower {}: thread {} did not stop within 10 s", name, thread.getName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "LogFollower[" + name + " at " + handledPosition + ", " + state() + "]";
    }

    public static final class Builder<R> {
        private final String name;
        private final Source<R> source;
        private final Function<? super R, LogPosition> positionOf;
        private LogPosition after = LogPosition.START;
        private int batchSize = 500;
        private int bufferSize = 2_000;
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private FailureClassifier classifier = FailureClassifier.defaults();

        private Builder(String name, Source<R> source, Function<? super R, LogPosition> positionOf) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a log follower needs a name");
            }
            this.name = name;
            this.source = Objects.requireNonNull(source, "source");
            this.positionOf = Objects.requireNonNull(positionOf, "positionOf");
        }

        /** Start after this position (a stored checkpoint); default {@link LogPosition#START}. */
        public Builder<R> after(LogPosition position) {
            this.after = Objects.requireNonNull(position, "position");
            return this;
        }

        /** Rows per read; default 500. */
        public Builder<R> batchSize(int rows) {
            this.batchSize = positive(rows, "batch size");
            return this;
        }

        /** Rows read but not yet handled, at most; default 2,000. Reads stop while it is full. */
        public Builder<R> bufferSize(int rows) {
            this.bufferSize = positive(rows, "buffer size");
            return this;
        }

        /** How often to look without being woken (the fallback for lost notifications); default 1 s. */
        public Builder<R> pollInterval(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("the poll interval must be positive, got " + interval);
            }
            this.pollInterval = interval;
            return this;
        }

        /** Backoff between retries of transient failures, doubling from {@code initial} to {@code max}. */
        public Builder<R> retryBackoff(Duration initial, Duration max) {
            if (initial == null || max == null || initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("retry backoff needs 0 < initial <= max, got " + initial + " and " + max);
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** Which failures are retried; default {@link FailureClassifier#defaults()}. */
        public Builder<R> failureClassifier(FailureClassifier classifier) {
            this.classifier = Objects.requireNonNull(classifier, "classifier");
            return this;
        }

        /** Starts following; batches go to {@code handler} on the follower's own thread. */
        public LogFollower<R> start(Handler<R> handler) {
            return new LogFollower<>(this, Objects.requireNonNull(handler, "handler")).start();
        }

        private static int positive(int value, String what) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be positive, got " + value);
            }
            return value;
        }
    }
}
