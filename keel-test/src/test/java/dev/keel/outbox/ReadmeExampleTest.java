package dev.keel.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import javax.sql.DataSource;

import dev.keel.core.json.JsonCodec;
import dev.keel.messaging.inbox.Inbox;
import dev.keel.messaging.inbox.InboxSubscription;
import dev.keel.messaging.inbox.ParkedMessage;
import dev.keel.messaging.kafka.KafkaTransport;
import dev.keel.messaging.spi.MessageTransport;
import dev.keel.outbox.relay.OutboxRelay;
import dev.keel.outbox.relay.OutboxSource;
import dev.keel.test.TestDatabase;
import dev.keel.test.TestKafka;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.Test;

/** The code of the keel-outbox and keel-messaging READMEs, run end to end. */
@WithInfrastructure
class ReadmeExampleTest {

    record OrderPlaced(String orderId, BigDecimal total) {
    }

    @Test
    void an_order_placed_in_one_service_becomes_an_invoice_in_another_exactly_once(TestDatabase db, TestKafka kafka) throws Exception {
        DataSource orders = db.newDatabase("orders").dataSource();
        DataSource billing = db.newDatabase("billing").dataSource();
        execute(orders, "CREATE TABLE orders (id text PRIMARY KEY, total numeric NOT NULL)");
        execute(billing, "CREATE TABLE invoices (order_id text PRIMARY KEY, total numeric NOT NULL)");
        Clock clock = Clock.systemUTC();
        String orderId = "order-7";
        OrderPlaced placed = new OrderPlaced(orderId, new BigDecimal("188.98"));

        try (MessageTransport transport = KafkaTransport.builder(kafka.bootstrapServers()).build()) {
            // --- keel-outbox README
            OutboxWriter.migrate(orders, "orders");
            OutboxWriter outbox = OutboxWriter.builder("orders").source("/shop/orders").route("Order", "shop.orders").build();
            try (Connection connection = orders.getConnection()) {
                connection.setAutoCommit(false);
                insertOrder(connection, placed);                                       // the business change
                outbox.write(connection, OutboxMessage.of("Order", orderId, "shop.order.OrderPlaced", placed, clock));
                connection.commit();                                                   // both or neither
            }
            try (OutboxRelay relay = OutboxRelay.builder(orders, transport, OutboxSource.of("orders")).partitions(4).start()) {

                // --- keel-messaging README
                Inbox inbox = Inbox.builder(billing, "billing").schema("billing").build();   // creates its tables
                try (InboxSubscription subscription = inbox.start(transport, Set.of("shop.orders"), (message, connection) -> {
                    OrderPlaced order = message.payload(JsonCodec.tolerant(), OrderPlaced.class);
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO invoices (order_id, total) VALUES (?, ?)")) {
                        insert.setString(1, order.orderId());
                        insert.setBigDecimal(2, order.total());
                        insert.executeUpdate();                      // commits with the inbox's record of the message
                    }
                })) {
                    for (ParkedMessage parked : inbox.deadLetters().parked()) {  // ordered dead letters: list, retry, skip
                        inbox.deadLetters().retry(parked.id());
                    }
                    // --- end of the README code

                    await().atMost(Duration.ofSeconds(60)).until(() -> invoices(billing) == 1);
                    assertThat(relay.ownedPartitions()).hasSize(4);
                    assertThat(subscription.group()).isEqualTo("billing");
                }
            }
        }
    }

    private static void insertOrder(Connection connection, OrderPlaced placed) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO orders (id, total) VALUES (?, ?)")) {
            insert.setString(1, placed.orderId());
            insert.setBigDecimal(2, placed.total());
            insert.executeUpdate();
        }
    }

    private static long invoices(DataSource billing) throws SQLException {
        try (Connection connection = billing.getConnection(); PreparedStatement count = connection.prepareStatement(
                "SELECT count(*) FROM invoices WHERE total = 188.98"); ResultSet row = count.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.execute();
        }
    }
}
