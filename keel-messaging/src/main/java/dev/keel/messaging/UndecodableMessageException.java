package dev.keel.messaging;

import dev.keel.core.NonTransientException;

/**
 * A record that cannot be read as a message (a poison message): a required header is missing or
 * malformed. The same bytes fail the same way, so it is never retried; the inbox parks it.
 */
public final class UndecodableMessageException extends NonTransientException {

    private final String where;

    private UndecodableMessageException(String where, String message, Throwable cause) {
        super(message, cause);
        this.where = where;
    }

    static UndecodableMessageException missingHeader(String where, String header) {
        return new UndecodableMessageException(where, "record " + where + " cannot be decoded: header " + header + " is missing", null);
    }

    static UndecodableMessageException badHeader(String where, String header, String reason, Throwable cause) {
        return new UndecodableMessageException(where, "record " + where + " cannot be decoded: header " + header + " " + reason, cause);
    }

    /** {@code topic/partition@offset} of the record. */
    public String where() {
        return where;
    }
}
