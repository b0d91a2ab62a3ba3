package dev.keel.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.CorrelationId;
import dev.keel.core.Message;
import dev.keel.core.MessageId;
import dev.keel.core.Metadata;
import dev.keel.core.TraceParent;
import dev.keel.core.json.JsonCodec;
import dev.keel.core.json.JsonCodecException;
import dev.keel.messaging.spi.ReceivedRecord;
import dev.keel.messaging.spi.WireRecord;

/**
 * Envelopes as Kafka records in CloudEvents' binary content mode: the value is the JSON payload, the
 * attributes are {@code ce_}-prefixed headers.
 *
 * <table>
 *   <caption>Headers</caption>
 *   <tr><td>{@code ce_specversion}</td><td>{@code 1.0}</td></tr>
 *   <tr><td>{@code ce_id}</td><td>message id</td></tr>
 *   <tr><td>{@code ce_source}</td><td>source</td></tr>
 *   <tr><td>{@code ce_type}</td><td>message type</td></tr>
 *   <tr><td>{@code ce_subject}</td><td>key (aggregate id)</td></tr>
 *   <tr><td>{@code ce_time}</td><td>occurred at, RFC 3339</td></tr>
 *   <tr><td>{@code content-type}</td><td>{@code application/json}</td></tr>
 *   <tr><td>{@code ce_schemaversion}</td><td>payload schema version (extension), when not 1</td></tr>
 *   <tr><td>{@code ce_correlationid}, {@code ce_causationid}</td><td>flow and cause (extensions)</td></tr>
 *   <tr><td>{@code ce_sequence}</td><td>key sequence, zero-padded to 19 digits so that it sorts as
 *       text (the CloudEvents sequence extension)</td></tr>
 *   <tr><td>{@code traceparent}</td><td>W3C trace context, where tracing tools look for it</td></tr>
 *   <tr><td>{@code keel_attr_<name>}</td><td>metadata attributes</td></tr>
 * </table>
 *
 * <p>Decoding also reads what Debezium's outbox event router emits for a Keel outbox table (see the
 * keel-outbox README): the id in an {@code id} header, and the row's {@code headers} column as one
 * JSON header, {@code keel_headers}, whose entries count as headers.
 */
public final class CloudEventsBinary {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";
    public static final String SCHEMA_VERSION = "ce_schemaversion";
    public static final String CORRELATION_ID = "ce_correlationid";
    public static final String CAUSATION_ID = "ce_causationid";
    public static final String SEQUENCE = "ce_sequence";
    public static final String TRACE_PARENT = "traceparent";
    public static final String ATTRIBUTE_PREFIX = "keel_attr_";
    /** Debezium's outbox event router puts the row id in this header by default. */
    public static final String DEBEZIUM_ID = "id";
    /** The outbox row's headers column, as one JSON header (Debezium additional placement). */
    public static final String PACKED_HEADERS = "keel_headers";

    private static final JsonCodec JSON = JsonCodec.tolerant();

    private CloudEventsBinary() {
    }

    /** The record for an envelope. */
    public static WireRecord encode(Envelope envelope) {
        return new WireRecord(envelope.topic(), envelope.key(), headers(envelope), envelope.message().payload());
    }

    /**
     * The CloudEvents headers of an envelope, as text. The outbox stores the ones a row's columns do
     * not already hold in its {@code headers} column.
     */
    public static Map<String, String> textHeaders(Envelope envelope) {
        Map<String, String> headers = new LinkedHashMap<>();
        Message<byte[]> message = envelope.message();
        Metadata metadata = message.metadata();
        headers.put(SPEC_VERSION, "1.0");
        headers.put(ID, message.id().toString());
        headers.put(SOURCE, envelope.source());
        headers.put(TYPE, message.type());
        if (!envelope.key().isEmpty()) {
            headers.put(SUBJECT, envelope.key());
        }
        headers.put(CONTENT_TYPE, "application/json");
        headers.putAll(metadataHeaders(message.schemaVersion(), metadata));
        envelope.sequence().ifPresent(sequence -> headers.put(SEQUENCE, sequenceText(sequence)));
        return headers;
    }

    /** The headers that carry metadata beyond id, type, subject and sequence: what an outbox row keeps. */
    public static Map<String, String> metadataHeaders(int schemaVersion, Metadata metadata) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (schemaVersion != 1) {
            headers.put(SCHEMA_VERSION, Integer.toString(schemaVersion));   // absent means 1
        }
        headers.put(TIME, metadata.occurredAt().toString());
        headers.put(CORRELATION_ID, metadata.correlationId().value());
        metadata.causation().ifPresent(causation -> headers.put(CAUSATION_ID, causation.toString()));
        metadata.trace().ifPresent(trace -> headers.put(TRACE_PARENT, trace.header()));
        metadata.attributes().forEach((name, value) -> headers.put(ATTRIBUTE_PREFIX + name, value));
        return headers;
    }

    /** A key sequence as CloudEvents' sequence extension wants it: text that sorts like the number. */
    public static String sequenceText(long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("a key sequence is not negative, got " + sequence);
        }
        String digits = Long.toString(sequence);
        return "0".repeat(19 - digits.length()) + digits;
    }

    private static Map<String, byte[]> headers(Envelope envelope) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        textHeaders(envelope).forEach((name, value) -> bytes.put(name, value.getBytes(StandardCharsets.UTF_8)));
        return bytes;
    }

    /**
     * The envelope a record carries.
     *
     * @throws UndecodableMessageException if a required header (id, type) is missing or any header is
     *         malformed
     */
    public static Envelope decode(ReceivedRecord received) {
        String where = received.where();
        WireRecord record = received.record();
        Map<String, String> headers = textOf(record, where);
        String id = first(headers, ID, DEBEZIUM_ID);
        if (id == null) {
            throw UndecodableMessageException.missingHeader(where, ID);
        }
        String type = headers.get(TYPE);
        if (type == null) {
            throw UndecodableMessageException.missingHeader(where, TYPE);
        }
        MessageId messageId = parse(where, ID, () -> MessageId.parse(id));
        int schemaVersion = headers.containsKey(SCHEMA_VERSION)
                ? parse(where, SCHEMA_VERSION, () -> Integer.parseInt(headers.get(SCHEMA_VERSION).trim()))
                : 1;
        Instant time = headers.containsKey(TIME)
                ? parse(where, TIME, () -> Instant.parse(headers.get(TIME).trim()))
                : received.timestamp();
        CorrelationId correlation = headers.containsKey(CORRELATION_ID)
                ? parse(where, CORRELATION_ID, () -> new CorrelationId(headers.get(CORRELATION_ID)))
                : CorrelationId.of(messageId);
        MessageId causation = headers.containsKey(CAUSATION_ID)
                ? parse(where, CAUSATION_ID, () -> MessageId.parse(headers.get(CAUSATION_ID).trim()))
                : null;
        TraceParent trace = headers.containsKey(TRACE_PARENT)
                ? parse(where, TRACE_PARENT, () -> TraceParent.parse(headers.get(TRACE_PARENT)))
                : null;
        Map<String, String> attributes = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (name.startsWith(ATTRIBUTE_PREFIX)) {
                attributes.put(name.substring(ATTRIBUTE_PREFIX.length()), value);
            }
        });
        OptionalLong sequence = headers.containsKey(SEQUENCE)
                ? OptionalLong.of(parse(where, SEQUENCE, () -> positive(Long.parseLong(headers.get(SEQUENCE).trim()))))
                : OptionalLong.empty();
        String source = headers.getOrDefault(SOURCE, "kafka:" + record.topic());
        Metadata metadata = parse(where, "attributes", () -> new Metadata(messageId, correlation, causation, trace, time, attributes));
        Message<byte[]> message = parse(where, TYPE, () -> new Message<>(type, schemaVersion, record.value(), metadata));
        return parse(where, SOURCE, () -> new Envelope(record.topic(), record.key(), source, sequence, message));
    }

    private static long positive(long value) {
        if (value < 1) {
            throw new IllegalArgumentException("must be at least 1, got " + value);
        }
        return value;
    }

    private static Map<String, String> textOf(WireRecord record, String where) {
        Map<String, String> headers = new LinkedHashMap<>();
        record.headers().forEach((name, value) -> headers.put(name, new String(value, StandardCharsets.UTF_8)));
        String packed = headers.get(PACKED_HEADERS);
        if (packed != null) {
            JsonNode node;
            try {
                node = JSON.readTree(packed);
                if (node.isTextual()) {
                    node = JSON.readTree(node.asText());   // a JSON header converter quotes the text again
                }
            } catch (JsonCodecException e) {
                throw UndecodableMessageException.badHeader(where, PACKED_HEADERS, "is not a JSON object: " + e.reason(), e);
            }
            if (!node.isObject()) {
                throw UndecodableMessageException.badHeader(where, PACKED_HEADERS, "is not a JSON object", null);
            }
            node.fields().forEachRemaining(field -> headers.putIfAbsent(field.getKey(),
                    field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString()));
        }
        return headers;
    }

    private static String first(Map<String, String> headers, String name, String fallback) {
        String value = headers.get(name);
        return value != null ? value : headers.get(fallback);
    }

    private interface Parse<T> {
        T get();
    }

    private static <T> T parse(String where, String header, Parse<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw UndecodableMessageException.badHeader(where, header, "is malformed: " + e.getMessage(), e);
        }
    }
}
