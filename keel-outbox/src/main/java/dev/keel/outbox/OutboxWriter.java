package dev.keel.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.json.JsonCodec;
import dev.keel.messaging.CloudEventsBinary;
import dev.keel.messaging.spi.WireRecord;
import dev.keel.postgres.Migrations;
import dev.keel.postgres.SqlFailure;
import dev.keel.postgres.SqlNames;

/**
 * Writes outgoing messages into the outbox table inside the caller's own transaction, so they are
 * published if and only if the business change commits.
 *
 * <pre>{@code
 * OutboxWriter outbox = OutboxWriter.builder("orders").source("/shop/orders").route("Order", "shop.orders").build();
 * try (Connection connection = dataSource.getConnection()) {
 *     connection.setAutoCommit(false);
 *     insertOrder(connection, order);
 *     outbox.write(connection, OutboxMessage.of("Order", order.id(), "shop.order.OrderPlaced", placed, clock));
 *     connection.commit();
 * }
 * }</pre>
 *
 * <p>Each row gets the next <b>sequence</b> of its key (topic, aggregate id), counted in
 * {@code outbox_keys}, whose row the writing transaction locks until it ends: a key's writers take
 * turns, and the consumer's inbox can tell duplicates, gaps and reordering apart. The same lock keeps
 * the key's order in the log: a row's {@code tx_id} is lifted to the previous row's when the writing
 * transaction got its id earlier but took the key later (ADR 0004), so the relay, which reads in
 * {@code (tx_id, position)} order, never publishes a key's messages out of order.
 *
 * <p>Input is checked and encoded before anything is written: a bad message fails with a clear
 * exception and leaves the transaction untouched. Thread-safe; make one and share it.
 */
public final class OutboxWriter {

    private static final Comparator<Row> BY_KEY = Comparator.comparing(Row::topic).thenComparing(Row::aggregateId);

    private record Row(String topic, String aggregateId, OutboxMessage message, String payload, String headers) {
    }

    private final String schema;
    private final String source;
    private final Map<String, String> routes;
    private final Function<String, Optional<String>> fallbackRoute;
    private final JsonCodec codec;
    private final String insert;

    private OutboxWriter(Builder builder) {
        this.schema = builder.schema;
        this.source = builder.source;
        this.routes = Map.copyOf(builder.routes);
        this.fallbackRoute = builder.fallbackRoute;
        this.codec = builder.codec;
        String keys = schema + ".outbox_keys";
        this.insert = "WITH k AS ("
                + " INSERT INTO " + keys + " AS k (topic, aggregateid, last_sequence, last_tx_id)"
                + " VALUES (?, ?, 1, pg_current_xact_id())"
                + " ON CONFLICT (topic, aggregateid) DO UPDATE"
                + " SET last_sequence = k.last_sequence + 1, last_tx_id = GREATEST(k.last_tx_id, pg_current_xact_id())"
                + " RETURNING last_sequence, last_tx_id)"
                + " INSERT INTO " + schema + ".outbox (id, aggregatetype, aggregateid, type, payload, headers, topic, sequence, tx_id)"
                + " SELECT ?, ?, ?, ?, ?::json, ?::json, ?, k.last_sequence, k.last_tx_id FROM k";
    }

    /** A writer for the outbox in {@code schema}. */
    public static Builder builder(String schema) {
        return new Builder(schema);
    }

    /** Creates or updates the outbox tables in a schema. */
    public static void migrate(DataSource dataSource, String schema) {
        Migrations.migrate(dataSource, "outbox", schema, "db/keel/outbox");
    }

    /** The topic a message about this aggregate type goes to. */
    public String topicFor(String aggregateType) {
        String topic = routes.get(aggregateType);
        if (topic == null) {
            topic = fallbackRoute.apply(aggregateType).orElseThrow(() -> UnroutableMessageException.noRoute(aggregateType));
        }
        try {
            return WireRecord.requireTopic(topic);
        } catch (IllegalArgumentException e) {
            throw UnroutableMessageException.badTopic(aggregateType, topic, e);
        }
    }

    /** Writes one message in the connection's transaction. */
    public void write(Connection connection, OutboxMessage message) {
        write(connection, List.of(message));
    }

    /**
     * Writes messages in the connection's transaction, in one round trip. Messages about the same
     * aggregate keep the order of the list.
     *
     * @throws IllegalStateException if the connection is in auto-commit mode (the rows would commit
     *         on their own, without the business change)
     * @throws UnroutableMessageException if an aggregate type has no topic
     * @throws dev.keel.core.json.JsonCodecException if a payload cannot be written as JSON
     */
    public void write(Connection connection, List<OutboxMessage> messages) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(messages, "messages");
        try {
            if (connection.getAutoCommit()) {
                throw new IllegalStateException("the outbox writes inside your transaction: turn auto-commit off on the connection"
                        + " and commit your change and the messages together");
            }
        } catch (SQLException e) {
            throw SqlFailure.translate("checking the outbox connection", e);
        }
        List<Row> rows = new ArrayList<>(messages.size());
        for (OutboxMessage message : messages) {
            Objects.requireNonNull(message, "message");
            rows.add(new Row(topicFor(message.aggregateType()), message.aggregateId(), message, payloadJson(message), headersJson(message)));
        }
        // one key after the other, in a stable order, so that two writers of the same keys cannot deadlock
        rows.sort(BY_KEY);
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            for (Row row : rows) {
                statement.setString(1, row.topic());
                statement.setString(2, row.aggregateId());
                statement.setObject(3, row.message().message().id().value());
                statement.setString(4, row.message().aggregateType());
                statement.setString(5, row.aggregateId());
                statement.setString(6, row.message().message().type());
                statement.setString(7, row.payload());
                statement.setString(8, row.headers());
                statement.setString(9, row.topic());
                if (rows.size() > 1) {
                    statement.addBatch();
                }
            }
            if (rows.size() > 1) {
                statement.executeBatch();
            } else if (rows.size() == 1) {
                statement.executeUpdate();
            }
        } catch (SQLException e) {
            throw SqlFailure.translate("writing " + rows.size() + " outbox message(s)", unwrapBatch(e));
        }
    }

    private String payloadJson(OutboxMessage message) {
        Object payload = message.message().payload();
        return payload instanceof JsonNode node ? node.toString() : codec.toJson(payload);
    }

    private String headersJson(OutboxMessage message) {
        Map<String, String> headers = new HashMap<>();
        headers.put(CloudEventsBinary.SOURCE, source);
        headers.putAll(CloudEventsBinary.metadataHeaders(message.message().schemaVersion(), message.message().metadata()));
        return codec.toJson(headers);
    }

    private static SQLException unwrapBatch(SQLException e) {
        SQLException next = e.getNextException();
        return next != null && e.getSQLState() != null && e.getSQLState().equals(next.getSQLState()) ? next : e;
    }

    public static final class Builder {
        private final String schema;
        private String source = "/keel/outbox";
        private final Map<String, String> routes = new HashMap<>();
        private Function<String, Optional<String>> fallbackRoute = type -> Optional.of("outbox.event." + type);
        private JsonCodec codec = JsonCodec.tolerant();

        private Builder(String schema) {
            this.schema = SqlNames.identifier(schema, "schema");
        }

        /** CloudEvents {@code source} of the messages, e.g. {@code /shop/orders}; default {@code /keel/outbox}. */
        public Builder source(String source) {
            if (source == null || source.isBlank() || source.length() > 1024) {
                throw new IllegalArgumentException("a message source is 1-1024 characters, got '" + source + "'");
            }
            this.source = source;
            return this;
        }

        /** Messages about this aggregate type go to this topic. */
        public Builder route(String aggregateType, String topic) {
            Objects.requireNonNull(aggregateType, "aggregateType");
            routes.put(aggregateType, WireRecord.requireTopic(topic));
            return this;
        }

        /**
         * Where messages of aggregate types without a route go; by default {@code outbox.event.<type>},
         * as Debezium's outbox event router names them. Return empty to refuse a type.
         */
        public Builder otherwise(Function<String, Optional<String>> route) {
            this.fallbackRoute = Objects.requireNonNull(route, "route");
            return this;
        }

        /** Refuse aggregate types without a route instead of guessing a topic. */
        public Builder onlyRoutedTypes() {
            this.fallbackRoute = type -> Optional.empty();
            return this;
        }

        /** How payloads become JSON; default {@link JsonCodec#tolerant()}. */
        public Builder codec(JsonCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        public OutboxWriter build() {
            return new OutboxWriter(this);
        }
    }
}
