package dev.keel.eventstore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.keel.postgres.LogFollower;
import dev.keel.postgres.LogPosition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription: a {@link LogFollower} over the storage's gap-free {@code readAll}, woken by the
 * storage's commit hints, handing events one by one to the handler and saving the checkpoint after each
 * batch.
 */
final class LogSubscription implements Subscription {

    private static final Logger log = LoggerFactory.getLogger(LogSubscription.class);

    private final EventStorage storage;
    private final SubscriptionOptions options;
    private final EventHandler handler;
    private final EventStoreMetrics metrics;
    private final Consumer<LogSubscription> onClose;
    private final Counter delivered;
    private final Gauge lag;
    private final AutoCloseable commitHints;
    private final LogFollower<RecordedEvent> follower;
    /** The last event handed to the handler successfully; a retried batch skips up to here. */
    private volatile LogPosition lastHandled;

    LogSubscription(EventStorage storage, SubscriptionOptions options, LogPosition start, EventHandler handler,
                    EventStoreMetrics metrics, Consumer<LogSubscription> onClose) {
        this.storage = storage;
        this.options = options;
        this.handler = handler;
        this.metrics = metrics;
        this.onClose = onClose;
        this.lastHandled = start;
        this.delivered = metrics.delivered(options.name());
        EventFilter filter = options.filter();
        // listen before the first read, so that nothing committed in between waits for a poll
        AtomicReference<LogFollower<RecordedEvent>> started = new AtomicReference<>();
        this.commitHints = storage.onCommit(() -> {
            LogFollower<RecordedEvent> running = started.get();
            if (running != null) {
                running.wake();
            }
        });
        this.follower = LogFollower.<RecordedEvent>builder(options.name(),
                        (after, limit) -> storage.readAll(after, filter, limit), RecordedEvent::position)
                .after(start)
                .batchSize(options.batchSize())
                .bufferSize(options.bufferSize())
                .pollInterval(options.pollInterval())
                .start(this::handleBatch);
        started.set(follower);
        follower.wake(); // a commit between listening and starting found no follower to wake
        this.lag = metrics.lag(options.name(), this, LogSubscription::lag);
        log.debug("subscription {} started after {}", options.name(), start);
    }

    private void handleBatch(List<RecordedEvent> batch) throws Exception {
        for (RecordedEvent event : batch) {
            if (!event.position().isAfter(lastHandled)) {
                continue; // handled before a transient failure made the batch come again
            }
            handler.handle(event);
            lastHandled = event.position();
            delivered.increment();
        }
        Optional<CheckpointStore> checkpoints = options.checkpoints();
        if (checkpoints.isPresent()) {
            checkpoints.get().save(options.name(), lastHandled);
        }
    }

    private double lag() {
        try {
            return storage.newest().map(newest -> Math.max(0, newest.position() - lastHandled.position())).orElse(0L);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    @Override
    public String name() {
        return options.name();
    }

    @Override
    public LogPosition position() {
        return follower.position();
    }

    @Override
    public State state() {
        return switch (follower.state()) {
            case CATCHING_UP -> State.CATCHING_UP;
            case LIVE -> State.LIVE;
            case FAILED -> State.FAILED;
            case CLOSED -> State.CLOSED;
        };
    }

    @Override
    public Optional<Throwable> failure() {
        return follower.failure();
    }

    @Override
    public void close() {
        try {
            commitHints.close();
        } catch (Exception e) {
            log.debug("subscription {}: unregistering commit hints failed", options.name(), e);
        }
        follower.close();
        metrics.remove(lag);
        metrics.remove(delivered);
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return "Subscription[" + options.name() + " at " + position() + ", " + state() + "]";
    }
}
