package dev.keel.eventstore;

import java.util.List;
import java.util.Optional;

import dev.keel.postgres.LogPosition;

/** Reading the global log: every stream's events in commit order. */
public interface ReadAllStreams {

    /**
     * Up to {@code limit} events after {@code after} that pass {@code filter}, in log order. The order
     * is gap-free: an event that commits late is never skipped by a reader that went past its position
     * earlier, and the order never changes once read (ADR 0002). Resume from the last event's
     * {@link RecordedEvent#position()}.
     */
    List<RecordedEvent> readAll(LogPosition after, EventFilter filter, int limit);

    default List<RecordedEvent> readAll(LogPosition after, int limit) {
        return readAll(after, EventFilter.all(), limit);
    }

    /** The position of the newest event readers can see now; empty when the log is empty. */
    Optional<LogPosition> head();
}
