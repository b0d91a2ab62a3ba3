package dev.keel.outbox;

import dev.keel.core.NonTransientException;

/** No topic could be found for a message's aggregate type: a configuration mistake, fixed by adding a route. */
public final class UnroutableMessageException extends NonTransientException {

    private final String aggregateType;

    private UnroutableMessageException(String aggregateType, String message, Throwable cause) {
        super(message, cause);
        this.aggregateType = aggregateType;
    }

    static UnroutableMessageException noRoute(String aggregateType) {
        return new UnroutableMessageException(aggregateType,
                "no topic for aggregate type '" + aggregateType + "': add a route to the outbox writer", null);
    }

    static UnroutableMessageException badTopic(String aggregateType, String topic, IllegalArgumentException cause) {
        return new UnroutableMessageException(aggregateType,
                "aggregate type '" + aggregateType + "' routes to '" + topic + "', which is not a valid topic name: " + cause.getMessage(), cause);
    }

    public String aggregateType() {
        return aggregateType;
    }
}
