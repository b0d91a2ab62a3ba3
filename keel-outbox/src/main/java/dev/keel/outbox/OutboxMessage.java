package dev.keel.outbox;

import java.time.Clock;
import java.util.Objects;

import dev.keel.core.Message;

/**
 * A message to publish, about one aggregate: the aggregate type routes it to a topic, the aggregate id
 * is its key (its order among the aggregate's messages is kept), and the message is what consumers
 * get. The payload is written as JSON with the writer's codec; pass a Jackson {@code JsonNode} for JSON
 * you built yourself.
 *
 * @param aggregateType e.g. {@code Order}; 1-255 characters
 * @param aggregateId   e.g. the order's id; 1-1024 characters
 * @param message       type, schema version, payload and metadata
 */
public record OutboxMessage(String aggregateType, String aggregateId, Message<?> message) {

    public OutboxMessage {
        if (aggregateType == null || aggregateType.isBlank() || aggregateType.length() > 255) {
            throw new IllegalArgumentException("an aggregate type is 1-255 characters, got '" + aggregateType + "'");
        }
        if (aggregateId == null || aggregateId.isBlank() || aggregateId.length() > 1024) {
            throw new IllegalArgumentException("an aggregate id is 1-1024 characters, got '" + aggregateId + "'");
        }
        Objects.requireNonNull(message, () -> "message about " + aggregateType + " " + aggregateId);
    }

    /** A version-1 message that starts a new flow. */
    public static OutboxMessage of(String aggregateType, String aggregateId, String type, Object payload, Clock clock) {
        return new OutboxMessage(aggregateType, aggregateId, Message.of(type, payload, clock));
    }
}
