package dev.keel.outbox.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.keel.messaging.CloudEventsBinary;
import dev.keel.messaging.spi.WireRecord;
import dev.keel.postgres.SqlNames;

/**
 * The outbox table written by {@link dev.keel.outbox.OutboxWriter}: topic and sequence from their
 * columns, the key from {@code aggregateid}, CloudEvents attributes from {@code id}, {@code type} and the
 * {@code headers} column.
 */
public final class OutboxSource implements PrunableSource {

    private static final JsonFactory JSON_FACTORY = new JsonFactory();

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
        readHeaders(row.getString("headers_text"), headers);
        Instant writtenAt = row.getTimestamp("created_at").toInstant();
        return new SourceRow(new WireRecord(row.getString("topic"), key, headers, bytes(row.getString("payload_text"))), writtenAt);
    }

    /** The headers column, an object of texts, read with a streaming parser: the relay does this for every row. */
    private static void readHeaders(String json, Map<String, byte[]> headers) {
        try (JsonParser parser = JSON_FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                    headers.putIfAbsent(name, bytes(parser.getText()));
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            // cannot happen: a json column only holds valid JSON
            throw new UncheckedIOException("the headers of an outbox row are not JSON", e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "outbox " + table();
    }
}
