package dev.keel.core;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A message as Keel stores and sends it: a typed, versioned payload with its {@link Metadata}.
 * Events, commands and replies are all messages; what differs is what the receiver does with them.
 *
 * @param type          the payload's stable name, e.g. {@code shop.order.OrderPlaced}; it routes
 *                      decoding, so renaming a class does not rename its messages
 * @param schemaVersion the version of the payload's shape, from 1; upcasters lift old versions
 * @param payload       the content; a record as a rule, or a raw JSON tree on the wire
 * @param metadata      ids, correlation, causation, trace and time
 */
public record Message<T>(String type, int schemaVersion, T payload, Metadata metadata) {

    private static final Pattern TYPE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.$-]{0,254}");

    public Message {
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("a message type is 1-255 characters of letters, digits and ._$-,"
                    + " starting with a letter or '_'; got '" + type + "'");
        }
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schema version of " + type + " must be >= 1, got " + schemaVersion);
        }
        Objects.requireNonNull(payload, () -> "payload of " + type);
        Objects.requireNonNull(metadata, () -> "metadata of " + type);
    }

    /** A version-1 message that starts a new flow. */
    public static <T> Message<T> of(String type, T payload, Clock clock) {
        return new Message<>(type, 1, payload, Metadata.newFlow(clock));
    }

    public MessageId id() {
        return metadata.messageId();
    }

    public CorrelationId correlationId() {
        return metadata.correlationId();
    }

    /** A message caused by this one, in the same flow. */
    public <R> Message<R> reply(String replyType, R replyPayload, Clock clock) {
        return new Message<>(replyType, 1, replyPayload, metadata.causedBy(clock));
    }

    /** The same message with its payload transformed (decoding, upcasting). */
    public <R> Message<R> mapPayload(Function<? super T, ? extends R> mapping) {
        return new Message<>(type, schemaVersion, mapping.apply(payload), metadata);
    }

    public <R> Message<R> withPayload(int newSchemaVersion, R newPayload) {
        return new Message<>(type, newSchemaVersion, newPayload, metadata);
    }
}
