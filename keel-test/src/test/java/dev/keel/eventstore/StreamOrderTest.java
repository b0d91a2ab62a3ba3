package dev.keel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import dev.keel.eventstore.postgres.PostgresEventStore;
import dev.keel.postgres.LogPosition;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The log is read in (tx_id, position) order. A transaction that got its id before another one, but
 * appends to a stream after that other one did, must still come after it in the log: a stream's
 * events are read in version order (ADR 0002, "Order within a stream or key").
 */
@WithInfrastructure
class StreamOrderTest {

    private final TestDatabase db;
    private PostgresEventStore store;

    StreamOrderTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void open() {
        db.execute("CREATE TABLE IF NOT EXISTS side_effects (note text)");
        store = PostgresEventStore.builder(db.dataSource()).schema("stream_order").build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void an_append_by_an_older_transaction_is_read_after_the_streams_earlier_versions() throws SQLException {
        store.append("order-1", ExpectedVersion.noStream(), EventData.of("Placed", "{}"));
        try (Connection older = db.dataSource().getConnection()) {
            older.setAutoCommit(false);
            // the older transaction takes its id now, by writing something else first
            older.createStatement().execute("INSERT INTO side_effects VALUES ('first write')");

            store.append("order-1", ExpectedVersion.exactly(1), EventData.of("Approved", "{}"));
            store.appendWithin(older, "order-1", ExpectedVersion.exactly(2), List.of(EventData.of("Shipped", "{}")));
            older.commit();
        }

        assertThat(store.readAll(LogPosition.START, 10)).extracting(RecordedEvent::streamVersion).containsExactly(1L, 2L, 3L);
    }
}
