package dev.keel.eventstore.codec;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.CorrelationId;
import dev.keel.core.Message;
import dev.keel.core.MessageId;
import dev.keel.core.Metadata;
import dev.keel.core.TraceParent;
import dev.keel.core.json.JsonCodec;
import dev.keel.eventstore.EventData;
import dev.keel.eventstore.RecordedEvent;
import org.jspecify.annotations.Nullable;

/**
 * Turns typed events into {@link EventData} and stored events back into typed {@link Message}s: each
 * Java class has a stable type name and a schema version, and {@link Upcasters} lift events stored in
 * older versions on the way back. Metadata (correlation, causation, trace, time, attributes) is stored
 * as JSON beside the payload; the event id is the message id.
 *
 * <pre>{@code
 * EventCodec<CartEvent> codec = EventCodec.builder(CartEvent.class)
 *         .register("shop.cart.ItemAdded", 2, ItemAdded.class)
 *         .register("shop.cart.CheckedOut", CheckedOut.class)
 *         .upcast("shop.cart.ItemAdded", 1, v1 -> v1.put("quantity", 1))
 *         .build();
 * }</pre>
 */
public final class EventCodec<E> {

    private record Registration(String type, int version, Class<?> javaType) {
    }

    private final Class<E> baseType;
    private final Map<String, Registration> byType;
    private final Map<Class<?>, Registration> byClass;
    private final Upcasters upcasters;
    private final JsonCodec json;

    private EventCodec(Builder<E> builder) {
        this.baseType = builder.baseType;
        this.byType = Map.copyOf(builder.byType);
        this.byClass = Map.copyOf(builder.byClass);
        this.upcasters = builder.upcasters == null ? builder.upcasterSteps.build() : builder.upcasters;
        this.json = builder.json;
    }

    public static <E> Builder<E> builder(Class<E> baseType) {
        return new Builder<>(baseType);
    }

    /** The event as data to append, with {@code metadata}'s message id as its event id. */
    public EventData encode(E event, Metadata metadata) {
        Registration registration = registration(event);
        return new EventData(metadata.messageId().value(), registration.type(), registration.version(), json.toJson(event),
                json.toJson(StoredMetadata.of(metadata)));
    }

    /** The stable type name of an event's class. */
    public String typeOf(E event) {
        return registration(event).type();
    }

    /** Whether events of this stored type can be decoded. */
    public boolean knows(String type) {
        return byType.containsKey(type);
    }

    /**
     * Decodes a stored event, lifting old versions with the upcasters.
     *
     * @throws EventDecodingException when the type is unknown, a step is missing or the JSON does not fit
     */
    public Message<E> decode(RecordedEvent event) {
        Registration registration = byType.get(event.type());
        if (registration == null) {
            throw EventDecodingException.unknownType(event.type());
        }
        E payload = decodePayload(registration, event.type(), event.schemaVersion(), event.payload());
        return new Message<>(event.type(), registration.version(), payload, metadata(event));
    }

    private E decodePayload(Registration registration, String type, int storedVersion, String payload) {
        if (storedVersion > registration.version()) {
            throw EventDecodingException.newerThanKnown(type, storedVersion, registration.version());
        }
        try {
            Object value;
            if (storedVersion == registration.version()) {
                value = json.fromJson(payload, registration.javaType());
            } else {
                JsonNode tree = json.readTree(payload);
                if (!(tree instanceof ObjectNode object)) {
                    throw EventDecodingException.unreadable(type, storedVersion, new IllegalArgumentException("not a JSON object"));
                }
                value = json.fromTree(upcasters.lift(type, storedVersion, registration.version(), object), registration.javaType());
            }
            return baseType.cast(value);
        } catch (EventDecodingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw EventDecodingException.unreadable(type, storedVersion, e);
        }
    }

    /** The metadata of a stored event; one appended without Keel metadata gets a flow of its own. */
    public Metadata metadata(RecordedEvent event) {
        MessageId id = new MessageId(event.eventId());
        StoredMetadata stored = event.metadata().equals("{}") ? null : readMetadata(event);
        if (stored == null || stored.correlationId() == null) {
            return new Metadata(id, CorrelationId.of(id), null, null, event.recordedAt(), Map.of());
        }
        return new Metadata(id, new CorrelationId(stored.correlationId()),
                stored.causationId() == null ? null : MessageId.parse(stored.causationId()),
                stored.traceParent() == null ? null : TraceParent.parse(stored.traceParent()),
                stored.occurredAt() == null ? event.recordedAt() : stored.occurredAt(),
                stored.attributes() == null ? Map.of() : stored.attributes());
    }

    private @Nullable StoredMetadata readMetadata(RecordedEvent event) {
        try {
            return json.fromJson(event.metadata(), StoredMetadata.class);
        } catch (RuntimeException e) {
            throw EventDecodingException.unreadable(event.type() + " metadata", event.schemaVersion(), e);
        }
    }

    private Registration registration(E event) {
        Objects.requireNonNull(event, "event");
        Registration registration = byClass.get(event.getClass());
        if (registration == null) {
            throw new IllegalArgumentException("no event type is registered for " + event.getClass().getName());
        }
        return registration;
    }

    /** Metadata as stored: the message id is the event id, so it is not repeated. */
    record StoredMetadata(@Nullable String correlationId, @Nullable String causationId, @Nullable String traceParent,
                          @Nullable Instant occurredAt, @Nullable Map<String, String> attributes) {

        static StoredMetadata of(Metadata metadata) {
            return new StoredMetadata(metadata.correlationId().value(),
                    metadata.causation().map(MessageId::toString).orElse(null),
                    metadata.trace().map(TraceParent::header).orElse(null),
                    metadata.occurredAt(),
                    metadata.attributes().isEmpty() ? null : metadata.attributes());
        }
    }

    public static final class Builder<E> {
        private final Class<E> baseType;
        private final Map<String, Registration> byType = new HashMap<>();
        private final Map<Class<?>, Registration> byClass = new HashMap<>();
        private final Upcasters.Builder upcasterSteps = Upcasters.builder();
        private @Nullable Upcasters upcasters;
        private JsonCodec json = JsonCodec.tolerant();

        private Builder(Class<E> baseType) {
            this.baseType = Objects.requireNonNull(baseType, "baseType");
        }

        /** Registers a class under a type name, schema version 1. */
        public Builder<E> register(String type, Class<? extends E> javaType) {
            return register(type, 1, javaType);
        }

        /** Registers a class under a type name and its current schema version. */
        public Builder<E> register(String type, int schemaVersion, Class<? extends E> javaType) {
            Registration registration = new Registration(type, schemaVersion, javaType);
            // the same checks as an append, now rather than at the first append
            new EventData(java.util.UUID.randomUUID(), type, schemaVersion, "{}", "{}");
            if (type.startsWith("$")) {
                throw new IllegalArgumentException("event types starting with $ are Keel's own: " + type);
            }
            if (byType.putIfAbsent(type, registration) != null) {
                throw new IllegalArgumentException("event type " + type + " is registered twice");
            }
            if (byClass.putIfAbsent(javaType, registration) != null) {
                throw new IllegalArgumentException(javaType.getName() + " is registered twice");
            }
            return this;
        }

        /** An upcaster lifting {@code type} from {@code fromVersion} to the next version. */
        public Builder<E> upcast(String type, int fromVersion, Upcaster upcaster) {
            upcasterSteps.add(type, fromVersion, upcaster);
            return this;
        }

        /** Upcasters built elsewhere (instead of {@link #upcast}). */
        public Builder<E> upcasters(Upcasters all) {
            this.upcasters = Objects.requireNonNull(all, "upcasters");
            return this;
        }

        /** The JSON codec; default {@link JsonCodec#tolerant()} (stored events ignore unknown fields). */
        public Builder<E> json(JsonCodec codec) {
            this.json = Objects.requireNonNull(codec, "json");
            return this;
        }

        public EventCodec<E> build() {
            if (byType.isEmpty()) {
                throw new IllegalArgumentException("an event codec needs at least one registered type");
            }
            return new EventCodec<>(this);
        }
    }

    /** The registered version of a type, if it is registered. */
    public Optional<Integer> versionOf(String type) {
        return Optional.ofNullable(byType.get(type)).map(Registration::version);
    }
}
