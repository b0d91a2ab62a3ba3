package dev.keel.eventstore.sourcing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.keel.core.Decider;
import dev.keel.core.Decision;
import dev.keel.core.MessageId;
import dev.keel.core.Metadata;
import dev.keel.core.Uuids;
import dev.keel.eventstore.AppendResult;
import dev.keel.eventstore.EventData;
import dev.keel.eventstore.EventStore;
import dev.keel.eventstore.ExpectedVersion;
import dev.keel.eventstore.RecordedEvent;
import dev.keel.eventstore.StreamRead;
import dev.keel.eventstore.WrongExpectedVersionException;
import dev.keel.eventstore.codec.EventCodec;
import dev.keel.eventstore.snapshot.Snapshot;
import dev.keel.eventstore.snapshot.SnapshotCodec;
import dev.keel.eventstore.snapshot.SnapshotPolicy;
import dev.keel.eventstore.snapshot.SnapshotStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event sourcing over a {@link Decider}: load a stream's state (from a snapshot and the events after
 * it), let the decider decide, append its events with the loaded version as the expected version, and
 * — if asked to — on a conflict load again and decide again. The decider stays pure; this does the I/O.
 *
 * <pre>{@code
 * EventSourcedRepository<CartCommand, Cart, CartEvent> carts = EventSourcedRepository.builder(store, cart, codec)
 *         .snapshots(store.snapshots(), SnapshotCodec.of("shop.cart.Cart", 1, Cart.class), SnapshotPolicy.everyEvents(100))
 *         .retryOnConflict(3)
 *         .build();
 * Outcome<Cart, CartEvent> outcome = carts.handle("cart-42", new AddItem("SKU-1"));
 * Cart asItWas = carts.loadAsOf("cart-42", 3).state();
 * }</pre>
 */
public final class EventSourcedRepository<C, S, E> {

    private static final Logger log = LoggerFactory.getLogger(EventSourcedRepository.class);

    private final EventStore store;
    private final Decider<C, S, E> decider;
    private final EventCodec<E> codec;
    private final @Nullable SnapshotStore snapshots;
    private final @Nullable SnapshotCodec<S> snapshotCodec;
    private final SnapshotPolicy snapshotPolicy;
    private final int retries;
    private final Clock clock;

    private EventSourcedRepository(Builder<C, S, E> builder) {
        this.store = builder.store;
        this.decider = builder.decider;
        this.codec = builder.codec;
        this.snapshots = builder.snapshots;
        this.snapshotCodec = builder.snapshotCodec;
        this.snapshotPolicy = builder.snapshotPolicy;
        this.retries = builder.retries;
        this.clock = builder.clock;
    }

    public static <C, S, E> Builder<C, S, E> builder(EventStore store, Decider<C, S, E> decider, EventCodec<E> codec) {
        return new Builder<>(store, decider, codec);
    }

    /** The current state of a stream (the initial state, version 0, if it has no events). */
    public Loaded<S> load(String streamId) {
        Loaded<S> start = fromSnapshot(streamId, Long.MAX_VALUE);
        return fold(start, store.readStream(streamId, StreamRead.forwardsFrom(start.version() + 1)), null);
    }

    /** The state of a stream as it was after version {@code version} (or at its end, if it is shorter). */
    public Loaded<S> loadAsOf(String streamId, long version) {
        if (version < 0) {
            throw new IllegalArgumentException("a stream version is 0 or more, got " + version);
        }
        Loaded<S> start = fromSnapshot(streamId, version);
        if (start.version() >= version) {
            return start;
        }
        long missing = version - start.version();
        List<RecordedEvent> events = store.readStream(streamId,
                StreamRead.forwardsFrom(start.version() + 1).limit((int) Math.min(missing, Integer.MAX_VALUE)));
        return fold(start, events, null);
    }

    /**
     * The state of a stream as it was at {@code instant}: after the events recorded at or before it. A
     * stream's events are recorded in version order, so this is the state after some version.
     */
    public Loaded<S> loadAt(String streamId, Instant instant) {
        Objects.requireNonNull(instant, "instant");
        // snapshots are not used: their time is the application's clock, event times are the store's
        return fold(new Loaded<>(streamId, decider.initialState(), 0), store.readStream(streamId), instant);
    }

    /** Handles a command that starts a flow of its own. */
    public Outcome<S, E> handle(String streamId, C command) {
        return handle(streamId, command, null);
    }

    /**
     * Handles a command: load, decide, append with the loaded version as expected version. The events
     * get metadata caused by {@code cause} (the command message's metadata), or a new flow when it is
     * null.
     *
     * @throws WrongExpectedVersionException another writer appended in between, more often than the
     *                                       configured retries allow
     */
    public Outcome<S, E> handle(String streamId, C command, @Nullable Metadata cause) {
        Objects.requireNonNull(command, "command");
        for (int attempt = 0; ; attempt++) {
            Loaded<S> loaded = load(streamId);
            Decision<E> decision = decider.decide(command, loaded.state());
            switch (decision) {
                case Decision.Rejected<E> rejected -> {
                    return new Outcome.Rejected<>(loaded.state(), loaded.version(), rejected.rejection());
                }
                case Decision.Accepted<E> accepted when accepted.events().isEmpty() -> {
                    return new Outcome.Accepted<>(loaded.state(), loaded.version(), List.of(), Optional.empty());
                }
                case Decision.Accepted<E> accepted -> {
                    List<EventData> data = encode(accepted.events(), cause);
                    AppendResult result;
                    try {
                        result = store.append(streamId, ExpectedVersion.exactly(loaded.version()), data);
                    } catch (WrongExpectedVersionException e) {
                        if (attempt < retries) {
                            log.debug("conflict on {} (attempt {}), deciding again: {}", streamId, attempt + 1, e.getMessage());
                            continue;
                        }
                        throw e;
                    }
                    S state = decider.fold(loaded.state(), accepted.events());
                    maybeSnapshot(streamId, loaded.version(), result.streamVersion(), state);
                    return new Outcome.Accepted<>(state, result.streamVersion(), accepted.events(), Optional.of(result.position()));
                }
            }
        }
    }

    private List<EventData> encode(List<E> events, @Nullable Metadata cause) {
        Metadata first = cause == null ? Metadata.newFlow(clock) : cause.causedBy(clock);
        List<EventData> data = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            Metadata metadata = i == 0 ? first : first.withMessageId(new MessageId(Uuids.timeOrdered(clock)));
            data.add(codec.encode(events.get(i), metadata));
        }
        return data;
    }

    private Loaded<S> fromSnapshot(String streamId, long atMostVersion) {
        if (snapshots == null || snapshotCodec == null) {
            return new Loaded<>(streamId, decider.initialState(), 0);
        }
        Optional<Snapshot> snapshot = snapshots.load(streamId, snapshotCodec.stateType())
                .filter(s -> s.streamVersion() <= atMostVersion);
        if (snapshot.isPresent()) {
            Optional<S> state = snapshotCodec.decode(snapshot.get());
            if (state.isPresent()) {
                return new Loaded<>(streamId, state.get(), snapshot.get().streamVersion());
            }
        }
        return new Loaded<>(streamId, decider.initialState(), 0);
    }

    private Loaded<S> fold(Loaded<S> start, List<RecordedEvent> events, @Nullable Instant until) {
        S state = start.state();
        long version = start.version();
        for (RecordedEvent event : events) {
            if (until != null && event.recordedAt().isAfter(until)) {
                break;
            }
            state = decider.evolve(state, codec.decode(event).payload());
            version = event.streamVersion();
        }
        return new Loaded<>(start.streamId(), state, version);
    }

    private void maybeSnapshot(String streamId, long before, long after, S state) {
        if (snapshots == null || snapshotCodec == null || !snapshotPolicy.shouldSnapshot(before, after)) {
            return;
        }
        try {
            snapshots.save(snapshotCodec.encode(streamId, after, state, clock.instant()));
        } catch (RuntimeException e) {
            // the events are stored; a missing snapshot only makes the next load slower
            log.warn("could not save a snapshot of {} at version {}: {}", streamId, after, e.toString());
        }
    }

    public static final class Builder<C, S, E> {
        private final EventStore store;
        private final Decider<C, S, E> decider;
        private final EventCodec<E> codec;
        private @Nullable SnapshotStore snapshots;
        private @Nullable SnapshotCodec<S> snapshotCodec;
        private SnapshotPolicy snapshotPolicy = SnapshotPolicy.never();
        private int retries;
        private Clock clock = Clock.systemUTC();

        private Builder(EventStore store, Decider<C, S, E> decider, EventCodec<E> codec) {
            this.store = Objects.requireNonNull(store, "store");
            this.decider = Objects.requireNonNull(decider, "decider");
            this.codec = Objects.requireNonNull(codec, "codec");
        }

        /** Takes snapshots per {@code policy} and starts loads from the latest usable one. */
        public Builder<C, S, E> snapshots(SnapshotStore store, SnapshotCodec<S> codec, SnapshotPolicy policy) {
            this.snapshots = Objects.requireNonNull(store, "snapshot store");
            this.snapshotCodec = Objects.requireNonNull(codec, "snapshot codec");
            this.snapshotPolicy = Objects.requireNonNull(policy, "snapshot policy");
            return this;
        }

        /** On a version conflict, load and decide again up to {@code retries} times (default 0). */
        public Builder<C, S, E> retryOnConflict(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("retries are 0 or more, got " + retries);
            }
            this.retries = retries;
            return this;
        }

        /** The clock of event metadata and snapshot times; default UTC system clock. */
        public Builder<C, S, E> clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public EventSourcedRepository<C, S, E> build() {
            return new EventSourcedRepository<>(this);
        }
    }
}
