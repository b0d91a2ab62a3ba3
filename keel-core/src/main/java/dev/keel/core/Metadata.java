package dev.keel.core;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * What every message carries besides its payload: who it is, which flow it belongs to, what caused
 * it, the trace it is part of and when it happened.
 *
 * <p>A message that starts a flow gets {@link #newFlow(Clock)}; a message sent because of another one
 * gets {@link #causedBy(Clock)} of that one's metadata, which keeps the correlation id, names the cause
 * and continues the trace. Attributes hold anything else as text (a tenant, a user id), at most 32
 * of them with keys of letters, digits, '-', '_' and '.'.
 *
 * @param messageId     unique id of this message
 * @param correlationId the flow this message belongs to
 * @param causationId   the message that caused this one; absent for the first message of a flow
 * @param traceParent   W3C trace context; absent when the sender did not trace
 * @param occurredAt    when the fact happened or the command was issued
 * @param attributes    further text metadata, never null
 */
public record Metadata(
        MessageId messageId,
        CorrelationId correlationId,
        @Nullable MessageId causationId,
        @Nullable TraceParent traceParent,
        Instant occurredAt,
        Map<String, String> attributes) {

    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_ATTRIBUTES = 32;
    private static final int MAX_ATTRIBUTE_VALUE = 1024;

    public Metadata {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        attributes = attributes == null ? Map.of() : copyChecked(attributes);
    }

    /** Metadata for a message that starts a new flow: its own id is the correlation id; a new trace. */
    public static Metadata newFlow(Clock clock) {
        MessageId id = new MessageId(Uuids.timeOrdered(clock));
        return new Metadata(id, CorrelationId.of(id), null, TraceParent.newRoot(), clock.instant(), Map.of());
    }

    /** Metadata for a message that joins a flow begun elsewhere (an HTTP request with a correlation id). */
    public static Metadata inFlow(CorrelationId correlationId, @Nullable TraceParent traceParent, Clock clock) {
        return new Metadata(new MessageId(Uuids.timeOrdered(clock)), correlationId, null,
                traceParent == null ? TraceParent.newRoot() : traceParent.child(), clock.instant(), Map.of());
    }

    /** Metadata for a message caused by the one this metadata belongs to. Attributes are carried over. */
    public Metadata causedBy(Clock clock) {
        return new Metadata(new MessageId(Uuids.timeOrdered(clock)), correlationId, messageId,
                traceParent == null ? null : traceParent.child(), clock.instant(), attributes);
    }

    public Optional<MessageId> causation() {
        return Optional.ofNullable(causationId);
    }

    public Optional<TraceParent> trace() {
        return Optional.ofNullable(traceParent);
    }

    public Optional<String> attribute(String key) {
        return Optional.ofNullable(attributes.get(key));
    }

    public Metadata withAttribute(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(attributes);
        copy.put(key, value);
        return new Metadata(messageId, correlationId, causationId, traceParent, occurredAt, copy);
    }

    public Metadata withMessageId(MessageId id) {
        return new Metadata(id, correlationId, causationId, traceParent, occurredAt, attributes);
    }

    private static Map<String, String> copyChecked(Map<String, String> attributes) {
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("at most " + MAX_ATTRIBUTES + " metadata attributes, got " + attributes.size());
        }
        Map<String, String> copy = new LinkedHashMap<>();
        attributes.forEach((key, value) -> {
            if (key == null || !ATTRIBUTE_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("attribute key must be 1-64 of [A-Za-z0-9._-], got '" + key + "'");
            }
            if (value == null || value.length() > MAX_ATTRIBUTE_VALUE) {
                throw new IllegalArgumentException("attribute '" + key + "' needs a value of at most "
                        + MAX_ATTRIBUTE_VALUE + " characters");
            }
            copy.put(key, value);
        });
        return java.util.Collections.unmodifiableMap(copy);
    }
}
