package dev.keel.outbox.relay;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.keel.core.json.JsonCodec;
import dev.keel.messaging.CloudEventsBinary;
import dev.keel.messaging.spi.WireRecord;
import dev.keel.postgres.SqlNames;

/**
 * The outbox table written by {@link dev.keel.outbox.OutboxWriter}: topic and sequence from their
 * columns, the key from {@code aggregateid}, CloudEvents attributes from {@code id}, {@code type} and the
 * {@code headers} column.
 */
public final class OutboxSource implements PrunableSource {

    private static final JsonCodec JSON = JsonCodec.tolerant();
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    private final String schema;

    private OutboxSource(String schema) {
        this.schema = SqlNames.identifier(schema, "schema");
    }

    /** The outbox in {@code schema}. */
    public static OutboxSource of(String schema) {
        return new OutboxSource(schema);
    }

    @Override
    public String table() {
        return schema + ".outbox";
    }

    @Override
    public String keyColumn() {
        return "aggregateid";
    }

    @Override
    public String columns() {
        return "id, aggregateid, type, payload::text AS payload_text, headers::text AS headers_text, topic, sequence, created_at";
    }

    @Override
    public String channel() {
        return schema + "_outbox";
    }

    @Override
    public String writtenAtColumn() {
        return "created_at";
    }

    @Override
    public SourceRow map(ResultSet row) throws SQLException {
        String key = row.getString("aggregateid");
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put(CloudEventsBinary.SPEC_VERSION, bytes("1.0"));
        headers.put(CloudEventsBinary.ID, bytes(row.getString("id")));
        headers.put(CloudEventsBinary.TYPE, bytes(row.getString("type")));
        headers.put(CloudEventsBinary.SUBJECT, bytes(key));
        headers.put(CloudEventsBinary.CONTENT_TYPE, bytes("application/json"));
        headers.put(CloudEventsBinary.SEQUENCE, bytes(CloudEventsBinary.sequenceText(row.getLong("sequence"))));
        JSON.fromJson(row.getString("headers_text"), HEADERS).forEach((name, value) -> headers.putIfAbsent(name, bytes(value)));
        Instant writtenAt = row.getTimestamp("created_at").toInstant();
        return new SourceRow(new WireRecord(row.getString("topic"), key, headers, bytes(row.getString("payload_text"))), writtenAt);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "outbox " + table();
    }
}
