package dev.keel.messaging.inbox;

import dev.keel.core.NonTransientException;

/** An operator asked to retry or skip a message that is not parked (any more) for that consumer. */
public final class NoSuchParkedMessageException extends NonTransientException {

    private final String consumer;
    private final long id;

    private NoSuchParkedMessageException(String consumer, long id, String message) {
        super(message);
        this.consumer = consumer;
        this.id = id;
    }

    static NoSuchParkedMessageException notParked(String consumer, long id) {
        return new NoSuchParkedMessageException(consumer, id,
                "consumer " + consumer + " has no parked or retrying message " + id);
    }

    public String consumer() {
        return consumer;
    }

    public long id() {
        return id;
    }
}
