package dev.keel.eventstore;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.keel.postgres.LogPosition;

/**
 * Puts an {@link EventStore} in front of a storage engine: validation, metrics and subscriptions are
 * the same whatever the engine. Applications use {@code PostgresEventStore} or {@code InMemoryEventStore},
 * which call this.
 */
public final class EventStores {

    private EventStores() {
    }

    public static EventStore create(EventStorage storage, EventStoreSettings settings) {
        return new StorageEventStore(Objects.requireNonNull(storage, "storage"), Objects.requireNonNull(settings, "settings"));
    }

    private static final class StorageEventStore implements EventStore {

        private final EventStorage storage;
        private final EventStoreSettings settings;
        private final EventStoreMetrics metrics;
        private final Set<LogSubscription> subscriptions = ConcurrentHashMap.newKeySet();

        StorageEventStore(EventStorage storage, EventStoreSettings settings) {
            this.storage = storage;
            this.settings = settings;
            this.metrics = new EventStoreMetrics(settings.meterRegistry(), settings.name());
        }

        @Override
        public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
            Append append = Append.validated(streamId, expected, events, settings);
            try {
                AppendResult result = storage.append(append);
                metrics.appended(result, append.events().size());
                return result;
            } catch (WrongExpectedVersionException e) {
                metrics.conflict();
                throw e;
            } catch (StreamArchivedException | StreamDeletedException | DuplicateEventIdException e) {
                metrics.refused();
                throw e;
            } catch (RuntimeException e) {
                metrics.failed();
                throw e;
            }
        }

        @Override
        public List<RecordedEvent> readStream(String streamId, StreamRead read) {
            Append.checkStreamId(streamId);
            if (read == null) {
                throw InvalidRequestException.invalidOption("a stream read needs a StreamRead (StreamRead.forwards() for all)");
            }
            return storage.readStream(streamId, read);
        }

        @Override
        public List<RecordedEvent> readAll(LogPosition after, EventFilter filter, int limit) {
            if (after == null) {
                throw InvalidRequestException.invalidOption("reading all streams needs a position to read after (LogPosition.START)");
            }
            if (filter == null) {
                throw InvalidRequestException.invalidFilter("the filter is missing (EventFilter.all())");
            }
            if (limit < 1) {
                throw InvalidRequestException.invalidLimit(limit);
            }
            return storage.readAll(after, filter, limit);
        }

        @Override
        public Optional<LogPosition> head() {
            return storage.head();
        }

        @Override
        public StreamInfo describe(String streamId) {
            return storage.describe(Append.checkStreamId(streamId));
        }

        @Override
        public AppendResult archive(String streamId, ExpectedVersion expected) {
            return end(streamId, expected, StreamInfo.StreamState.ARCHIVED);
        }

        @Override
        public AppendResult delete(String streamId, ExpectedVersion expected) {
            return end(streamId, expected, StreamInfo.StreamState.DELETED);
        }

        private AppendResult end(String streamId, ExpectedVersion expected, StreamInfo.StreamState end) {
            Append.checkStreamId(streamId);
            if (expected == null) {
                throw InvalidRequestException.invalidOption("ending stream " + streamId + " needs an expected version");
            }
            try {
                return storage.end(streamId, expected, end);
            } catch (WrongExpectedVersionException e) {
                metrics.conflict();
                throw e;
            }
        }

        @Override
        public Subscription subscribe(SubscriptionOptions options, EventHandler handler) {
            if (options == null || handler == null) {
                throw InvalidRequestException.invalidOption("a subscription needs options and a handler");
            }
            LogPosition start = switch (options.start()) {
                case SubscriptionOptions.Start.After after -> after.position();
                case SubscriptionOptions.Start.Head head -> storage.head().orElse(LogPosition.START);
                case SubscriptionOptions.Start.Checkpoint checkpoint ->
                        checkpoint.store().load(options.name()).orElse(checkpoint.otherwise());
            };
            LogSubscription subscription = new LogSubscription(storage, options, start, handler, metrics, subscriptions::remove);
            subscriptions.add(subscription);
            return subscription;
        }

        @Override
        public void close() {
            for (LogSubscription subscription : List.copyOf(subscriptions)) {
                subscription.close();
            }
            storage.close();
        }

        @Override
        public String toString() {
            return "EventStore[" + settings.name() + " on " + storage + "]";
        }
    }
}
