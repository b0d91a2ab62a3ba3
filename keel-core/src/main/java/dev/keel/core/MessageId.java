package dev.keel.core;

import java.util.Objects;
import java.util.UUID;

/** The identity of one message: unique, time-ordered, and the key of every idempotency check. */
public record MessageId(UUID value) implements TypedId<UUID>, Comparable<MessageId> {

    public MessageId {
        Objects.requireNonNull(value, "message id");
    }

    public static MessageId random() {
        return new MessageId(Uuids.timeOrdered());
    }

    public static MessageId parse(String text) {
        try {
            return new MessageId(UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("not a message id (a UUID): '" + text + "'", e);
        }
    }

    @Override
    public int compareTo(MessageId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
