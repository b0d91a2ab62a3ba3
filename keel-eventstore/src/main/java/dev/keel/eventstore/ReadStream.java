package dev.keel.eventstore;

import java.util.List;

/** Reading the events of one stream. */
public interface ReadStream {

    /**
     * The stream's events chosen by {@code read}, in version order (newest first when reading
     * backwards); empty when there is no such stream or nothing in range. Archived streams read as
     * usual (their end marker is not returned).
     *
     * @throws StreamDeletedException the stream was deleted
     */
    List<RecordedEvent> readStream(String streamId, StreamRead read);

    /** All of the stream's events, oldest first. */
    default List<RecordedEvent> readStream(String streamId) {
        return readStream(streamId, StreamRead.forwards());
    }
}
