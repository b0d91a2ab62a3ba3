package dev.keel.eventstore;

import java.util.Optional;

import dev.keel.postgres.LogPosition;

/**
 * Where a resumable subscription keeps the position of the last event it handled (SPI). The
 * PostgreSQL store keeps checkpoints in a table beside the events; a projection that wants its read
 * model and its checkpoint in one transaction keeps its own.
 */
public interface CheckpointStore {

    /** The stored position of {@code subscription}, if it has one. */
    Optional<LogPosition> load(String subscription);

    /** Stores the position of {@code subscription} (a later call replaces it). */
    void save(String subscription, LogPosition position);
}
