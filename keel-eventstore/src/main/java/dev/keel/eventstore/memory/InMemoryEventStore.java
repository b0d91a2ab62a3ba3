package dev.keel.eventstore.memory;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.keel.eventstore.AppendResult;
import dev.keel.eventstore.EventData;
import dev.keel.eventstore.EventFilter;
import dev.keel.eventstore.EventHandler;
import dev.keel.eventstore.EventStore;
import dev.keel.eventstore.EventStoreSettings;
import dev.keel.eventstore.EventStores;
import dev.keel.eventstore.ExpectedVersion;
import dev.keel.eventstore.RecordedEvent;
import dev.keel.eventstore.StreamInfo;
import dev.keel.eventstore.StreamRead;
import dev.keel.eventstore.Subscription;
import dev.keel.eventstore.SubscriptionOptions;
import dev.keel.eventstore.snapshot.SnapshotStore;
import dev.keel.postgres.LogPosition;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * An event store in memory, for unit tests and simulations: the same validation, semantics and
 * subscriptions as the PostgreSQL store (both pass one contract suite), nothing durable.
 *
 * <pre>{@code
 * EventStore store = InMemoryEventStore.create();
 * }</pre>
 */
public final class InMemoryEventStore implements EventStore {

    private final EventStore store;
    private final InMemorySnapshotStore snapshots;

    private InMemoryEventStore(Builder builder) {
        InMemoryEventStorage storage = new InMemoryEventStorage(builder.clock);
        this.snapshots = storage.snapshots();
        this.store = EventStores.create(storage, builder.settings);
    }

    public static InMemoryEventStore create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The snapshots of this store's streams (deleted with their stream). */
    public SnapshotStore snapshots() {
        return snapshots;
    }

    @Override
    public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
        return store.append(streamId, expected, events);
    }

    @Override
    public List<RecordedEvent> readStream(String streamId, StreamRead read) {
        return store.readStream(streamId, read);
    }

    @Override
    public List<RecordedEvent> readAll(LogPosition after, EventFilter filter, int limit) {
        return store.readAll(after, filter, limit);
    }

    @Override
    public Optional<LogPosition> head() {
        return store.head();
    }

    @Override
    public Subscription subscribe(SubscriptionOptions options, EventHandler handler) {
        return store.subscribe(options, handler);
    }

    @Override
    public StreamInfo describe(String streamId) {
        return store.describe(streamId);
    }

    @Override
    public AppendResult archive(String streamId, ExpectedVersion expected) {
        return store.archive(streamId, expected);
    }

    @Override
    public AppendResult delete(String streamId, ExpectedVersion expected) {
        return store.delete(streamId, expected);
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return store.toString();
    }

    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private EventStoreSettings settings = EventStoreSettings.defaults("memory");

        private Builder() {
        }

        /** The clock that stamps {@code recordedAt}; a {@code ManualClock} makes temporal reads testable. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder settings(EventStoreSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.settings = settings.withMeterRegistry(registry);
            return this;
        }

        public InMemoryEventStore build() {
            return new InMemoryEventStore(this);
        }
    }
}
