package dev.keel.eventstore.memory;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

import dev.keel.eventstore.snapshot.Snapshot;
import dev.keel.eventstore.snapshot.SnapshotStore;

/**
 * Snapshots in a map, kept only while the event they follow exists: those of a stream go when the
 * stream is deleted from its in-memory store.
 */
public final class InMemorySnapshotStore implements SnapshotStore {

    private record Key(String streamId, String stateType) {
    }

    private final Map<Key, Snapshot> snapshots = new ConcurrentHashMap<>();
    private final BiPredicate<String, Long> eventExists;

    InMemorySnapshotStore(BiPredicate<String, Long> eventExists) {
        this.eventExists = eventExists;
    }

    @Override
    public void save(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        if (!eventExists.test(snapshot.streamId(), snapshot.streamVersion())) {
            return;
        }
        snapshots.merge(new Key(snapshot.streamId(), snapshot.stateType()), snapshot,
                (kept, offered) -> offered.streamVersion() > kept.streamVersion() ? offered : kept);
    }

    @Override
    public Optional<Snapshot> load(String streamId, String stateType) {
        return Optional.ofNullable(snapshots.get(new Key(streamId, stateType)));
    }

    void deleteStream(String streamId) {
        snapshots.keySet().removeIf(key -> key.streamId().equals(streamId));
    }
}
