package dev.keel.eventstore;

import java.util.List;

/** Appending events to a stream, atomically and with optimistic concurrency. */
public interface AppendToStream {

    /**
     * Appends {@code events} to the end of {@code streamId} if its version meets {@code expected}:
     * all or nothing, and the events get the next versions in order.
     *
     * <p>An exact retry — the same event ids to the same stream — writes nothing and returns what the
     * first append did ({@link AppendResult#alreadyStored()}), so retrying after a timeout or a lost
     * connection is always safe.
     *
     * @throws WrongExpectedVersionException the stream is not at the expected version
     * @throws StreamArchivedException       the stream is archived
     * @throws StreamDeletedException        the stream was deleted
     * @throws DuplicateEventIdException     some event ids are stored already and this is not an exact retry
     * @throws InvalidRequestException       the request itself is invalid; nothing was looked at or written
     */
    AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events);

    default AppendResult append(String streamId, ExpectedVersion expected, EventData... events) {
        return append(streamId, expected, List.of(events));
    }
}
