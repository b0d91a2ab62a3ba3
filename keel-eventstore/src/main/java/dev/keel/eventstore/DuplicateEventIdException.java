package dev.keel.eventstore;

import java.util.List;
import java.util.UUID;

import dev.keel.core.NonTransientException;

/**
 * Some of an append's event ids are stored already, but the append is not an exact retry of the one
 * that stored them (the ids are in another stream, in another order, or only some of them exist).
 * An exact retry — the same ids to the same stream — succeeds instead, without writing twice.
 */
public final class DuplicateEventIdException extends NonTransientException {

    private final String streamId;
    private final List<UUID> eventIds;

    private DuplicateEventIdException(String streamId, List<UUID> eventIds) {
        super("append to " + streamId + " reuses event ids that are stored already and is not an exact retry: " + eventIds);
        this.streamId = streamId;
        this.eventIds = List.copyOf(eventIds);
    }

    public static DuplicateEventIdException eventIdsAlreadyUsed(String streamId, List<UUID> eventIds) {
        return new DuplicateEventIdException(streamId, eventIds);
    }

    public String streamId() {
        return streamId;
    }

    /** The ids of the append that are stored already. */
    public List<UUID> eventIds() {
        return eventIds;
    }
}
