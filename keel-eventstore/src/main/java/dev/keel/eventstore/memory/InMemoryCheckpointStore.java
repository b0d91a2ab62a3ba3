package dev.keel.eventstore.memory;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.keel.eventstore.CheckpointStore;
import dev.keel.postgres.LogPosition;

/** Subscription checkpoints in a map: they live as long as the object. */
public final class InMemoryCheckpointStore implements CheckpointStore {

    private final Map<String, LogPosition> positions = new ConcurrentHashMap<>();

    @Override
    public Optional<LogPosition> load(String subscription) {
        return Optional.ofNullable(positions.get(Objects.requireNonNull(subscription, "subscription")));
    }

    @Override
    public void save(String subscription, LogPosition position) {
        positions.put(Objects.requireNonNull(subscription, "subscription"), Objects.requireNonNull(position, "position"));
    }
}
