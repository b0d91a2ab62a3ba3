package dev.keel.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.OptionalLong;

import dev.keel.core.Message;
import dev.keel.core.MessageId;
import dev.keel.core.json.JsonCodec;
import dev.keel.messaging.spi.WireRecord;

/**
 * A message on the wire: where it goes, under which key, from which source, at which place in its
 * key's sequence, and the message itself with a JSON payload.
 *
 * @param topic    the topic it is published to
 * @param key      the ordering key (the aggregate id): messages with the same key keep their order
 * @param source   who published it (CloudEvents {@code source}), e.g. {@code /shop/orders}
 * @param sequence its number among the messages of its key on its topic (1, 2, 3, ...), when the
 *                 producer counts them, as the outbox and the event store do; the inbox uses it to
 *                 detect duplicates, gaps and reordering
 * @param message  type, schema version, JSON payload (UTF-8 bytes) and metadata
 */
public record Envelope(String topic, String key, String source, OptionalLong sequence, Message<byte[]> message) {

    public Envelope {
        WireRecord.requireTopic(topic);
        Objects.requireNonNull(key, "key");
        if (source == null || source.isBlank() || source.length() > 1024) {
            throw new IllegalArgumentException("a message source is 1-1024 characters, got '" + source + "'");
        }
        Objects.requireNonNull(sequence, "sequence (OptionalLong.empty() when there is none)");
        if (sequence.isPresent() && sequence.getAsLong() < 1) {
            throw new IllegalArgumentException("a key sequence starts at 1, got " + sequence.getAsLong() + " for key " + key);
        }
        Objects.requireNonNull(message, "message");
    }

    public MessageId id() {
        return message.id();
    }

    public String type() {
        return message.type();
    }

    /** The payload as JSON text. */
    public String payloadJson() {
        return new String(message.payload(), StandardCharsets.UTF_8);
    }

    /** The payload decoded into a type. */
    public <T> T payload(JsonCodec codec, Class<T> type) {
        return codec.fromBytes(message.payload(), type);
    }

    @Override
    public String toString() {
        return "Envelope[" + type() + " " + id() + " " + topic + "/" + key
                + (sequence.isPresent() ? " #" + sequence.getAsLong() : "") + "]";
    }
}
