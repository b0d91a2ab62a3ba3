package dev.keel.eventstore.memory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

import dev.keel.eventstore.Append;
import dev.keel.eventstore.AppendResult;
import dev.keel.eventstore.DuplicateEventIdException;
import dev.keel.eventstore.EventData;
import dev.keel.eventstore.EventFilter;
import dev.keel.eventstore.EventStorage;
import dev.keel.eventstore.ExpectedVersion;
import dev.keel.eventstore.RecordedEvent;
import dev.keel.eventstore.StreamArchivedException;
import dev.keel.eventstore.StreamDeletedException;
import dev.keel.eventstore.StreamInfo.StreamState;
import dev.keel.eventstore.StreamInfo;
import dev.keel.eventstore.StreamRead;
import dev.keel.eventstore.SystemEvents;
import dev.keel.eventstore.WrongExpectedVersionException;
import dev.keel.postgres.LogPosition;

/**
 * Events in memory, under one lock: every append is one "transaction" with its own id, so log
 * positions sort like the PostgreSQL store's. For unit tests and simulations.
 */
final class InMemoryEventStorage implements EventStorage {

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final NavigableMap<Long, RecordedEvent> log = new TreeMap<>();
    private final Map<String, List<RecordedEvent>> streams = new HashMap<>();
    private final Map<UUID, RecordedEvent> byId = new HashMap<>();
    private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();
    private final InMemorySnapshotStore snapshots = new InMemorySnapshotStore(this::hasEvent);
    private long lastTransaction;
    private long lastPosition;

    InMemoryEventStorage(Clock clock) {
        this.clock = clock;
    }

    InMemorySnapshotStore snapshots() {
        return snapshots;
    }

    private boolean hasEvent(String streamId, long version) {
        lock.lock();
        try {
            List<RecordedEvent> stream = streams.getOrDefault(streamId, List.of());
            return stream.stream().anyMatch(event -> event.streamVersion() == version && !event.isSystemEvent());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public AppendResult append(Append append) {
        AppendResult result;
        lock.lock();
        try {
            Optional<AppendResult> retry = exactRetry(append.streamId(), append.events());
            if (retry.isPresent()) {
                return retry.get();
            }
            List<RecordedEvent> stream = streams.getOrDefault(append.streamId(), List.of());
            long actual = checkWritable(append.streamId(), stream);
            if (!append.expected().isMetBy(actual)) {
                throw WrongExpectedVersionException.conflictingAppend(append.streamId(), append.expected(), actual);
            }
            result = write(append.streamId(), actual, append.events());
        } finally {
            lock.unlock();
        }
        commitListeners.forEach(Runnable::run);
        return result;
    }

    private Optional<AppendResult> exactRetry(String streamId, List<EventData> events) {
        List<UUID> stored = new ArrayList<>();
        for (EventData event : events) {
            if (byId.containsKey(event.eventId())) {
                stored.add(event.eventId());
            }
        }
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        if (stored.size() == events.size()) {
            RecordedEvent first = byId.get(events.get(0).eventId());
            boolean exact = true;
            for (int i = 0; i < events.size(); i++) {
                RecordedEvent existing = byId.get(events.get(i).eventId());
                exact &= existing.streamId().equals(streamId) && existing.streamVersion() == first.streamVersion() + i;
            }
            if (exact) {
                RecordedEvent last = byId.get(events.get(events.size() - 1).eventId());
                return Optional.of(new AppendResult(streamId, last.streamVersion(), last.position(), true));
            }
        }
        throw DuplicateEventIdException.eventIdsAlreadyUsed(streamId, stored);
    }

    /** The stream's version if it takes appends. */
    private static long checkWritable(String streamId, List<RecordedEvent> stream) {
        if (stream.isEmpty()) {
            return 0;
        }
        RecordedEvent last = stream.get(stream.size() - 1);
        switch (last.type()) {
            case SystemEvents.STREAM_DELETED -> throw StreamDeletedException.streamWasDeleted(streamId);
            case SystemEvents.STREAM_ARCHIVED -> throw StreamArchivedException.streamWasArchived(streamId);
            default -> {
                return last.streamVersion();
            }
        }
    }

    private AppendResult write(String streamId, long actual, List<EventData> events) {
        long transaction = ++lastTransaction;
        List<RecordedEvent> stream = streams.computeIfAbsent(streamId, id -> new ArrayList<>());
        RecordedEvent last = null;
        for (int i = 0; i < events.size(); i++) {
            EventData event = events.get(i);
            last = new RecordedEvent(streamId, actual + i + 1, new LogPosition(transaction, ++lastPosition), event.eventId(),
                    event.type(), event.schemaVersion(), event.payload(), event.metadata(), clock.instant());
            stream.add(last);
            log.put(last.position().position(), last);
            byId.put(last.eventId(), last);
        }
        return new AppendResult(streamId, last.streamVersion(), last.position(), false);
    }

    @Override
    public List<RecordedEvent> readStream(String streamId, StreamRead read) {
        lock.lock();
        try {
            List<RecordedEvent> stream = streams.getOrDefault(streamId, List.of());
            if (!stream.isEmpty() && stream.get(stream.size() - 1).type().equals(SystemEvents.STREAM_DELETED)) {
                throw StreamDeletedException.streamWasDeleted(streamId);
            }
            List<RecordedEvent> result = new ArrayList<>();
            if (read.isForwards()) {
                for (RecordedEvent event : stream) {
                    if (result.size() >= read.limit()) {
                        break;
                    }
                    if (event.streamVersion() >= read.fromVersion() && !event.isSystemEvent()) {
                        result.add(event);
                    }
                }
            } else {
                for (int i = stream.size() - 1; i >= 0 && result.size() < read.limit(); i--) {
                    RecordedEvent event = stream.get(i);
                    if (event.streamVersion() <= read.fromVersion() && !event.isSystemEvent()) {
                        result.add(event);
                    }
                }
            }
            return List.copyOf(result);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<RecordedEvent> readAll(LogPosition after, EventFilter filter, int limit) {
        lock.lock();
        try {
            List<RecordedEvent> result = new ArrayList<>(Math.min(limit, 1024));
            for (RecordedEvent event : log.tailMap(after.position(), false).values()) {
                if (result.size() >= limit) {
                    break;
                }
                if (event.position().isAfter(after) && filter.matches(event)) {
                    result.add(event);
                }
            }
            return List.copyOf(result);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<LogPosition> head() {
        lock.lock();
        try {
            return log.isEmpty() ? Optional.empty() : Optional.of(log.lastEntry().getValue().position());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<LogPosition> newest() {
        return head();
    }

    @Override
    public StreamInfo describe(String streamId) {
        lock.lock();
        try {
            return describe(streamId, streams.getOrDefault(streamId, List.of()));
        } finally {
            lock.unlock();
        }
    }

    private static StreamInfo describe(String streamId, List<RecordedEvent> stream) {
        if (stream.isEmpty()) {
            return new StreamInfo(streamId, 0, StreamState.NO_STREAM);
        }
        RecordedEvent last = stream.get(stream.size() - 1);
        return switch (last.type()) {
            case SystemEvents.STREAM_DELETED -> new StreamInfo(streamId, last.streamVersion() - 1, StreamState.DELETED);
            case SystemEvents.STREAM_ARCHIVED -> new StreamInfo(streamId, last.streamVersion() - 1, StreamState.ARCHIVED);
            default -> new StreamInfo(streamId, last.streamVersion(), StreamState.ACTIVE);
        };
    }

    @Override
    public AppendResult end(String streamId, ExpectedVersion expected, StreamState end) {
        AppendResult result;
        lock.lock();
        try {
            List<RecordedEvent> stream = streams.getOrDefault(streamId, List.of());
            StreamInfo info = describe(streamId, stream);
            if (info.state() == StreamState.DELETED || (info.state() == end)) {
                if (info.state() == StreamState.DELETED && end != StreamState.DELETED) {
                    throw StreamDeletedException.streamWasDeleted(streamId);
                }
                RecordedEvent marker = stream.get(stream.size() - 1);
                return new AppendResult(streamId, marker.streamVersion(), marker.position(), true);
            }
            if (!expected.isMetBy(info.version())) {
                throw WrongExpectedVersionException.conflictingAppend(streamId, expected, info.version());
            }
            long last = stream.isEmpty() ? 0 : stream.get(stream.size() - 1).streamVersion();
            String type = end == StreamState.DELETED ? SystemEvents.STREAM_DELETED : SystemEvents.STREAM_ARCHIVED;
            result = write(streamId, last, List.of(EventData.of(type, "{}")));
            if (end == StreamState.DELETED) {
                List<RecordedEvent> remaining = streams.get(streamId);
                for (RecordedEvent event : List.copyOf(remaining)) {
                    if (event.streamVersion() < result.streamVersion()) {
                        remaining.remove(event);
                        log.remove(event.position().position());
                        byId.remove(event.eventId());
                    }
                }
                snapshots.deleteStream(streamId);
            }
        } finally {
            lock.unlock();
        }
        commitListeners.forEach(Runnable::run);
        return result;
    }

    @Override
    public AutoCloseable onCommit(Runnable listener) {
        commitListeners.add(listener);
        return () -> commitListeners.remove(listener);
    }

    @Override
    public void close() {
        commitListeners.clear();
    }

    @Override
    public String toString() {
        return "in-memory storage";
    }
}
