package dev.keel.outbox.relay;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import dev.keel.messaging.CloudEventsBinary;
import dev.keel.messaging.Envelope;
import dev.keel.messaging.spi.WireRecord;

/**
 * A table the relay publishes: any table read as a gap-free log (a {@code tx_id xid8} and a
 * {@code position} column, indexed together, see {@link dev.keel.postgres.CommittedLog}), and how one of
 * its rows becomes a message. Keel has two: {@link OutboxSource} (the outbox) and
 * {@link EventStoreSource} (the event store as outbox).
 */
public interface RelaySource {

    /** One row as the relay publishes it: the record, and when the row was written. */
    record SourceRow(WireRecord record, Instant writtenAt) {
        public SourceRow {
            java.util.Objects.requireNonNull(record, "record");
            java.util.Objects.requireNonNull(writtenAt, "writtenAt");
        }

        /** A row that carries a message, encoded as CloudEvents binary mode. */
        public static SourceRow of(Envelope envelope, Instant writtenAt) {
            return new SourceRow(CloudEventsBinary.encode(envelope), writtenAt);
        }
    }

    /** The schema-qualified table, e.g. {@code orders.outbox}. */
    String table();

    /** The column with the key: its hash decides the row's relay partition. */
    String keyColumn();

    /** The columns {@link #map} reads (SQL written by Keel code). */
    String columns();

    /** The channel a commit to the table notifies. */
    String channel();

    /**
     * The record a row becomes, and when the row was written (for the relay's lag). It is published as
     * it is: a row that is not a valid message reaches consumers, whose inbox parks it, rather than
     * stopping the relay.
     */
    SourceRow map(ResultSet row) throws SQLException;
}
