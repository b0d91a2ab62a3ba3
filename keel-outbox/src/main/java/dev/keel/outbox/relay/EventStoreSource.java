package dev.keel.outbox.relay;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.json.JsonCodec;
import dev.keel.core.json.JsonCodecException;
import dev.keel.messaging.CloudEventsBinary;
import dev.keel.messaging.spi.WireRecord;
import dev.keel.postgres.SqlNames;

/**
 * The event store as outbox: publishes the rows of an event store's {@code events} table
 * ({@code position, tx_id, stream_id, stream_version, event_id, event_type, schema_version, payload,
 * metadata, recorded_at}). The key is the stream id and the key sequence its version, so consumers get
 * each stream's events once and in order; nothing is ever deleted.
 *
 * <pre>{@code
 * EventStoreSource events = EventStoreSource.builder("orders").topic("shop.orders.events").source("/shop/orders").build();
 * OutboxRelay relay = OutboxRelay.builder(dataSource, transport, events).start();
 * }</pre>
 *
 * <p>The {@code metadata} column is read as a JSON object with the optional fields
 * {@code correlationId}, {@code causationId}, {@code traceParent}, {@code occurredAt} and
 * {@code attributes} (an object of texts); the event id stands in for a missing correlation id and
 * {@code recorded_at} for a missing time.
 */
public final class EventStoreSource implements RelaySource {

    private static final JsonCodec JSON = JsonCodec.tolerant();

    private final String table;
    private final Function<String, String> topicOfStream;
    private final String source;
    private final String channel;
    private final long firstVersion;

    private EventStoreSource(Builder builder) {
        this.table = builder.schema + "." + builder.table;
        this.topicOfStream = builder.topicOfStream;
        this.source = builder.source;
        this.channel = builder.channel == null ? builder.schema + "_events" : builder.channel;
        this.firstVersion = builder.firstVersion;
    }

    /** The {@code events} table in {@code schema}. */
    public static Builder builder(String schema) {
        return new Builder(schema);
    }

    @Override
    public String table() {
        return table;
    }

    @Override
    public String keyColumn() {
        return "stream_id";
    }

    @Override
    public String columns() {
        return "stream_id, stream_version, event_id, event_type, schema_version, payload::text AS payload_text,"
                + " metadata::text AS metadata_text, recorded_at";
    }

    @Override
    public String channel() {
        return channel;
    }

    @Override
    public SourceRow map(ResultSet row) throws SQLException {
        String streamId = row.getString("stream_id");
        String eventId = row.getString("event_id");
        Instant recordedAt = row.getTimestamp("recorded_at").toInstant();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CloudEventsBinary.SPEC_VERSION, "1.0");
        headers.put(CloudEventsBinary.ID, eventId);
        headers.put(CloudEventsBinary.SOURCE, source);
        headers.put(CloudEventsBinary.TYPE, row.getString("event_type"));
        headers.put(CloudEventsBinary.SUBJECT, streamId);
        headers.put(CloudEventsBinary.CONTENT_TYPE, "application/json");
        headers.put(CloudEventsBinary.SCHEMA_VERSION, Integer.toString(row.getInt("schema_version")));
        headers.put(CloudEventsBinary.SEQUENCE, CloudEventsBinary.sequenceText(row.getLong("stream_version") - firstVersion + 1));
        headers.put(CloudEventsBinary.TIME, recordedAt.toString());
        headers.put(CloudEventsBinary.CORRELATION_ID, eventId);
        metadataHeaders(row.getString("metadata_text"), headers);
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        headers.forEach((name, value) -> bytes.put(name, value.getBytes(StandardCharsets.UTF_8)));
        WireRecord record = new WireRecord(topicOfStream.apply(streamId), streamId, bytes,
                row.getString("payload_text").getBytes(StandardCharsets.UTF_8));
        return new SourceRow(record, recordedAt);
    }

    private static void metadataHeaders(String json, Map<String, String> headers) {
        JsonNode metadata;
        try {
            metadata = json == null ? null : JSON.readTree(json);
        } catch (JsonCodecException e) {
            return;   // published without; the event itself is still worth delivering
        }
        if (metadata == null || !metadata.isObject()) {
            return;
        }
        copy(metadata, "correlationId", CloudEventsBinary.CORRELATION_ID, headers);
        copy(metadata, "causationId", CloudEventsBinary.CAUSATION_ID, headers);
        copy(metadata, "traceParent", CloudEventsBinary.TRACE_PARENT, headers);
        copy(metadata, "traceparent", CloudEventsBinary.TRACE_PARENT, headers);
        copy(metadata, "occurredAt", CloudEventsBinary.TIME, headers);
        JsonNode attributes = metadata.get("attributes");
        if (attributes != null && attributes.isObject()) {
            attributes.fields().forEachRemaining(field -> {
                if (field.getValue().isValueNode() && !field.getValue().isNull()) {
                    headers.put(CloudEventsBinary.ATTRIBUTE_PREFIX + field.getKey(), field.getValue().asText());
                }
            });
        }
    }

    private static void copy(JsonNode metadata, String field, String header, Map<String, String> headers) {
        JsonNode value = metadata.get(field);
        if (value != null && value.isTextual() && !value.asText().isBlank()) {
            headers.put(header, value.asText());
        }
    }

    @Override
    public String toString() {
        return "event store " + table;
    }

    public static final class Builder {
        private final String schema;
        private String table = "events";
        private Function<String, String> topicOfStream;
        private String source;
        private String channel;
        private long firstVersion = 1;

        private Builder(String schema) {
            this.schema = SqlNames.identifier(schema, "schema");
            this.source = "/keel/eventstore/" + schema;
        }

        /** The table's name in the schema; default {@code events}. */
        public Builder table(String table) {
            this.table = SqlNames.identifier(table, "table");
            return this;
        }

        /** Publish every event to this topic. */
        public Builder topic(String topic) {
            String checked = WireRecord.requireTopic(topic);
            this.topicOfStream = streamId -> checked;
            return this;
        }

        /** Publish each stream's events to the topic this function names (by category, say). */
        public Builder topics(Function<String, String> topicOfStream) {
            this.topicOfStream = Objects.requireNonNull(topicOfStream, "topicOfStream");
            return this;
        }

        /** CloudEvents {@code source}; default {@code /keel/eventstore/<schema>}. */
        public Builder source(String source) {
            if (source == null || source.isBlank()) {
                throw new IllegalArgumentException("a message source must not be blank");
            }
            this.source = source;
            return this;
        }

        /** The NOTIFY channel of appends; default {@code <schema>_events}. */
        public Builder channel(String channel) {
            this.channel = SqlNames.identifier(channel, "channel");
            return this;
        }

        /** The version of a stream's first event (0 or 1; default 1): it becomes key sequence 1. */
        public Builder firstStreamVersion(long version) {
            if (version < 0) {
                throw new IllegalArgumentException("a stream's first version is not negative, got " + version);
            }
            this.firstVersion = version;
            return this;
        }

        public EventStoreSource build() {
            if (topicOfStream == null) {
                throw new IllegalStateException("say which topic the events go to: topic(...) or topics(...)");
            }
            return new EventStoreSource(this);
        }
    }
}
