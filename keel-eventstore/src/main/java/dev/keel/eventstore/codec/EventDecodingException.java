package dev.keel.eventstore.codec;

import dev.keel.core.NonTransientException;

/**
 * A stored event (or snapshot) that this code cannot turn into an object: a type it does not know, an
 * old version without an upcaster, a version newer than it knows, or JSON that does not fit.
 */
public final class EventDecodingException extends NonTransientException {

    private final String type;
    private final int schemaVersion;

    private EventDecodingException(String type, int schemaVersion, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
        this.schemaVersion = schemaVersion;
    }

    public static EventDecodingException unknownType(String type) {
        return new EventDecodingException(type, 0, "no class is registered for event type " + type, null);
    }

    public static EventDecodingException noUpcaster(String type, int fromVersion, int toVersion) {
        return new EventDecodingException(type, fromVersion, "no upcaster lifts " + type + " from version " + fromVersion
                + " (on the way to " + toVersion + ")", null);
    }

    public static EventDecodingException newerThanKnown(String type, int stored, int known) {
        return new EventDecodingException(type, stored, type + " is stored in version " + stored + " but this code knows only up to "
                + known + " (written by newer code?)", null);
    }

    public static EventDecodingException unreadable(String type, int version, RuntimeException cause) {
        return new EventDecodingException(type, version, "cannot read " + type + " version " + version + ": " + cause.getMessage(), cause);
    }

    public String type() {
        return type;
    }

    public int schemaVersion() {
        return schemaVersion;
    }
}
