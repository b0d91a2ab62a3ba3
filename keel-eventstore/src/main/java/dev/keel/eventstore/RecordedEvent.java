package dev.keel.eventstore;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import dev.keel.postgres.LogPosition;

/**
 * An event as stored: where it is in its stream and in the global log, and what it is.
 *
 * @param streamId      the stream it belongs to
 * @param streamVersion its version in the stream: 1, 2, 3... without gaps
 * @param position      its place in the global log (commit order, gap-free; see ADR 0002)
 * @param eventId       its id
 * @param type          its type; types starting with {@code $} are Keel's own ({@link SystemEvents})
 * @param schemaVersion the version of the payload's shape as stored (before any upcasting)
 * @param payload       JSON object text
 * @param metadata      JSON object text
 * @param recordedAt    when the store recorded it
 */
public record RecordedEvent(String streamId, long streamVersion, LogPosition position, UUID eventId, String type,
                            int schemaVersion, String payload, String metadata, Instant recordedAt) {

    public RecordedEvent {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }

    /** Whether this is one of Keel's own events (a stream archived or deleted), not an application event. */
    public boolean isSystemEvent() {
        return SystemEvents.isSystemType(type);
    }

    @Override
    public String toString() {
        return "RecordedEvent[" + streamId + "@" + streamVersion + " " + type + " v" + schemaVersion + " at " + position + "]";
    }
}
