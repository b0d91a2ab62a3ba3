package dev.keel.eventstore;

/**
 * Keel's own event types. They mark the end of a stream's life in the stream itself, so the
 * end takes a version like any event (which is what makes it safe against concurrent appends) and
 * readers of all streams learn of it in log order: a projection can drop what it holds for a deleted
 * stream when it sees {@link #STREAM_DELETED}. Application types cannot start with {@code $}.
 */
public final class SystemEvents {

    /** The stream was archived: read-only from here on; its events stay. Payload {@code {}}. */
    public static final String STREAM_ARCHIVED = "$stream-archived";

    /** The stream was deleted: its events are gone and its id can never be used again. Payload {@code {}}. */
    public static final String STREAM_DELETED = "$stream-deleted";

    private SystemEvents() {
    }

    public static boolean isSystemType(String type) {
        return type.startsWith("$");
    }
}
