package dev.keel.eventstore;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keel.postgres.LogPosition;
import org.jspecify.annotations.Nullable;

/**
 * Where a subscription starts, what it receives and how it reads. Immutable; each method returns a
 * changed copy.
 *
 * <pre>{@code
 * SubscriptionOptions.fromStart()                                      // everything, then live
 * SubscriptionOptions.after(position)                                  // after a known position
 * SubscriptionOptions.fromHead()                                       // only what commits from now on
 * SubscriptionOptions.resumable("order-view", checkpoints)             // after its saved checkpoint
 *         .filter(EventFilter.category("order"))
 * }</pre>
 */
public final class SubscriptionOptions {

    private static final AtomicInteger UNNAMED = new AtomicInteger();

    /** Where to start. */
    public sealed interface Start {
        /** After a given position ({@link LogPosition#START}: from the beginning). */
        record After(LogPosition position) implements Start {
            public After {
                Objects.requireNonNull(position, "position");
            }
        }

        /** After the newest event visible when the subscription starts. */
        record Head() implements Start {
        }

        /** After the subscription's checkpoint, or after {@code otherwise} when it has none yet. */
        record Checkpoint(CheckpointStore store, LogPosition otherwise) implements Start {
            public Checkpoint {
                Objects.requireNonNull(store, "store");
                Objects.requireNonNull(otherwise, "otherwise");
            }
        }
    }

    private final String name;
    private final Start start;
    private final EventFilter filter;
    private final int batchSize;
    private final int bufferSize;
    private final Duration pollInterval;

    private SubscriptionOptions(String name, Start start, EventFilter filter, int batchSize, int bufferSize, Duration pollInterval) {
        this.name = name;
        this.start = start;
        this.filter = filter;
        this.batchSize = batchSize;
        this.bufferSize = bufferSize;
        this.pollInterval = pollInterval;
    }

    private static SubscriptionOptions starting(@Nullable String name, Start start) {
        return new SubscriptionOptions(name == null ? "subscription-" + UNNAMED.incrementAndGet() : checkName(name), start,
                EventFilter.all(), 500, 2_000, Duration.ofSeconds(1));
    }

    /** Every event from the beginning of the log, then live. */
    public static SubscriptionOptions fromStart() {
        return starting(null, new Start.After(LogPosition.START));
    }

    /** Every event after {@code position}, then live. */
    public static SubscriptionOptions after(LogPosition position) {
        return starting(null, new Start.After(position));
    }

    /** Only events that become visible after the subscription starts. */
    public static SubscriptionOptions fromHead() {
        return starting(null, new Start.Head());
    }

    /**
     * Resumes after the position saved under {@code name} in {@code checkpoints} (from the beginning
     * if there is none) and saves its position there after each batch it handled.
     */
    public static SubscriptionOptions resumable(String name, CheckpointStore checkpoints) {
        return starting(name, new Start.Checkpoint(checkpoints, LogPosition.START));
    }

    /** A name for threads, metrics and logs (and the checkpoint key of a resumable subscription). */
    public SubscriptionOptions named(String newName) {
        return new SubscriptionOptions(checkName(newName), start, filter, batchSize, bufferSize, pollInterval);
    }

    public SubscriptionOptions filter(EventFilter newFilter) {
        return new SubscriptionOptions(name, start, Objects.requireNonNull(newFilter, "filter"), batchSize, bufferSize, pollInterval);
    }

    /** Events per read; default 500. */
    public SubscriptionOptions batchSize(int events) {
        if (events < 1) {
            throw InvalidRequestException.invalidOption("a subscription's batch size is 1 or more, got " + events);
        }
        return new SubscriptionOptions(name, start, filter, events, bufferSize, pollInterval);
    }

    /** Events read ahead of the handler, at most; default 2,000. */
    public SubscriptionOptions bufferSize(int events) {
        if (events < 1) {
            throw InvalidRequestException.invalidOption("a subscription's buffer size is 1 or more, got " + events);
        }
        return new SubscriptionOptions(name, start, filter, batchSize, events, pollInterval);
    }

    /** How often to look for new events without being woken (the fallback); default 1 s. */
    public SubscriptionOptions pollInterval(Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw InvalidRequestException.invalidOption("a subscription's poll interval is positive, got " + interval);
        }
        return new SubscriptionOptions(name, start, filter, batchSize, bufferSize, interval);
    }

    /** With a checkpoint store: where to start when no checkpoint is saved yet. */
    public SubscriptionOptions otherwiseAfter(LogPosition position) {
        if (!(start instanceof Start.Checkpoint checkpoint)) {
            throw InvalidRequestException.invalidOption("otherwiseAfter applies to resumable subscriptions only");
        }
        return new SubscriptionOptions(name, new Start.Checkpoint(checkpoint.store(), position), filter, batchSize, bufferSize,
                pollInterval);
    }

    public String name() {
        return name;
    }

    public Start start() {
        return start;
    }

    public EventFilter filter() {
        return filter;
    }

    public int batchSize() {
        return batchSize;
    }

    public int bufferSize() {
        return bufferSize;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    /** The checkpoint store of a resumable subscription. */
    public Optional<CheckpointStore> checkpoints() {
        return start instanceof Start.Checkpoint checkpoint ? Optional.of(checkpoint.store()) : Optional.empty();
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
            throw InvalidRequestException.invalidOption("a subscription name is 1-200 visible characters, got '" + name + "'");
        }
        return name;
    }

    @Override
    public String toString() {
        return "SubscriptionOptions[" + name + ", " + start + ", " + filter + "]";
    }
}
