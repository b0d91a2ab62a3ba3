package dev.keel.eventstore;

import dev.keel.core.NonTransientException;

/** The stream was archived ({@link ArchiveStream#archive}): it can still be read, but not appended to. */
public final class StreamArchivedException extends NonTransientException {

    private final String streamId;

    private StreamArchivedException(String streamId) {
        super("stream " + streamId + " is archived and takes no more events");
        this.streamId = streamId;
    }

    public static StreamArchivedException streamWasArchived(String streamId) {
        return new StreamArchivedException(streamId);
    }

    public String streamId() {
        return streamId;
    }
}
