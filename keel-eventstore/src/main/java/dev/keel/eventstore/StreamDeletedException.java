package dev.keel.eventstore;

import dev.keel.core.NonTransientException;

/**
 * The stream was deleted ({@link DeleteStream#delete}): its events are gone, it cannot be read or
 * appended to, and its id can never be used again.
 */
public final class StreamDeletedException extends NonTransientException {

    private final String streamId;

    private StreamDeletedException(String streamId) {
        super("stream " + streamId + " was deleted");
        this.streamId = streamId;
    }

    public static StreamDeletedException streamWasDeleted(String streamId) {
        return new StreamDeletedException(streamId);
    }

    public String streamId() {
        return streamId;
    }
}
