package dev.keel.shop.customer;

import static dev.keel.shop.customer.CustomerServiceTest.details;
import static dev.keel.shop.customer.CustomerServiceTest.uniqueEmail;
import static dev.keel.shop.platform.testing.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.keel.shop.customer.api.CustomerRegistered;
import dev.keel.shop.customer.api.CustomerTopics;
import dev.keel.shop.customer.api.CustomerUpdated;
import dev.keel.shop.platform.testing.RelayGroup;
import dev.keel.shop.platform.testing.ServiceFixture;
import dev.keel.shop.platform.testing.TopicReader;
import dev.keel.test.TestDatabase;
import dev.keel.test.TestKafka;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The customer service's events survive a stop between commit and publish, and instances share the publishing. */
@WithInfrastructure
class CustomerPublishingTest {

    static ServiceFixture customers;
    static TestKafka broker;

    @BeforeAll
    static void provision(TestDatabase db, TestKafka kafka) {
        broker = kafka;
        customers = ServiceFixture.of(new CustomerService(), db, kafka).set("customer.relay.leaseDuration", "3s");
    }

    @AfterAll
    static void stop() {
        customers.close();
    }

    @Test
    void changes_committed_but_not_yet_published_when_the_service_stops_are_published_once_and_in_order_after_it_restarts()
            throws Exception {
        ServiceFixture.Instance first = customers.start();
        String id;
        try (Connection olderTransaction = customers.dataSource().getConnection()) {
            // an open transaction that began before the changes: the relay publishes no row committed after it
            // began until it ends (gap-free reading, ADR 0002), so the changes stay unpublished
            olderTransaction.setAutoCommit(false);
            try (Statement statement = olderTransaction.createStatement()) {
                statement.execute("SELECT pg_current_xact_id()");
            }
            id = json(first.http().post("/api/customers", details("Grace Hopper", uniqueEmail("grace")))).get("id").asText();
            assertThat(first.http().put("/api/customers/" + id, details("Grace B. Hopper", uniqueEmail("gbh"))).statusCode())
                    .isEqualTo(200);
            assertThat(outboxRows(id)).as("committed with the customer, not published").isEqualTo(2);

            first.close();

            assertThat(outboxRows(id)).as("still waiting in the outbox after the stop").isEqualTo(2);
            olderTransaction.rollback();
        }

        try (ServiceFixture.Instance second = customers.start();
             TopicReader reader = TopicReader.of(broker.bootstrapServers(), CustomerTopics.EVENTS, Set.of(id))) {
            assertThat(second.http().put("/api/customers/" + id, details("Grace Brewster Hopper", uniqueEmail("gbh"))).statusCode())
                    .isEqualTo(200);

            // the third event comes after the first two and any copy of them: the key's records are in order
            reader.await(records -> records.stream().anyMatch(record -> record.sequence() == 3));
            assertThat(reader.of(id)).extracting(TopicReader.Record::sequence).containsExactly(1L, 2L, 3L);
            assertThat(reader.of(id)).extracting(TopicReader.Record::type)
                    .containsExactly(CustomerRegistered.TYPE, CustomerUpdated.TYPE, CustomerUpdated.TYPE);
            assertThat(reader.of(id)).extracting(record -> record.json().get("name").asText())
                    .containsExactly("Grace Hopper", "Grace B. Hopper", "Grace Brewster Hopper");
        }
    }

    @Test
    void two_instances_share_the_publishing_and_every_customer_gets_each_event_once_in_order() throws Exception {
        RelayGroup relay = RelayGroup.of(customers.dataSource(), CustomerService.NAME);
        try (ServiceFixture.Instance a = customers.start(); ServiceFixture.Instance b = customers.start()) {
            relay.awaitHeldBy(2, 2);
            RelayGroup.Snapshot before = relay.snapshot();
            List<String> ids = new ArrayList<>();

            for (int i = 0; i < 20; i++) {
                ServiceFixture.Instance registrar = i % 2 == 0 ? a : b;
                ids.add(json(registrar.http().post("/api/customers", details("Customer " + i, uniqueEmail("c" + i)))).get("id").asText());
            }
            for (int i = 0; i < ids.size(); i++) {
                ServiceFixture.Instance updater = i % 2 == 0 ? b : a;
                assertThat(updater.http().put("/api/customers/" + ids.get(i), details("Customer " + i + " (renamed)", uniqueEmail("r" + i)))
                        .statusCode()).isEqualTo(200);
            }

            try (TopicReader reader = TopicReader.of(broker.bootstrapServers(), CustomerTopics.EVENTS, ids)) {
                reader.awaitAtLeast(ids.size() * 2);
                Set<String> messageIds = new HashSet<>();
                for (int i = 0; i < ids.size(); i++) {
                    List<TopicReader.Record> events = reader.of(ids.get(i));
                    assertThat(events).extracting(TopicReader.Record::type).containsExactly(CustomerRegistered.TYPE, CustomerUpdated.TYPE);
                    assertThat(events).extracting(TopicReader.Record::sequence).containsExactly(1L, 2L);
                    assertThat(events.get(1).json().get("name").asText()).isEqualTo("Customer " + i + " (renamed)");
                    events.forEach(event -> messageIds.add(event.id()));
                }
                assertThat(messageIds).as("no event twice").hasSize(ids.size() * 2);
            }
            assertThat(relay.publishedSince(before)).as("events each instance published").hasSize(2)
                    .allSatisfy((instance, published) -> assertThat(published).isPositive());
        }
    }

    private static long outboxRows(String id) throws SQLException {
        try (Connection connection = customers.dataSource().getConnection();
             PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM keel.outbox WHERE aggregateid = ?")) {
            count.setString(1, id);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
