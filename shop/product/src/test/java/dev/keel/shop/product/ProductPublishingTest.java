package dev.keel.shop.product;

import static dev.keel.shop.platform.testing.HttpCalls.json;
import static dev.keel.shop.product.ProductServiceTest.uniqueSku;
import static dev.keel.shop.product.ProductServiceTest.update;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.keel.shop.platform.testing.RelayGroup;
import dev.keel.shop.platform.testing.ServiceFixture;
import dev.keel.shop.platform.testing.TopicReader;
import dev.keel.shop.product.api.ProductAdded;
import dev.keel.shop.product.api.ProductChanged;
import dev.keel.shop.product.api.ProductTopics;
import dev.keel.test.TestDatabase;
import dev.keel.test.TestKafka;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The product service's events survive a stop between commit and publish, and instances share the publishing. */
@WithInfrastructure
class ProductPublishingTest {

    static ServiceFixture products;
    static TestKafka broker;

    @BeforeAll
    static void provision(TestDatabase db, TestKafka kafka) {
        broker = kafka;
        products = ServiceFixture.of(new ProductService(), db, kafka).set("product.relay.leaseDuration", "3s");
    }

    @AfterAll
    static void stop() {
        products.close();
    }

    @Test
    void price_changes_committed_but_not_yet_published_when_the_service_stops_are_published_once_and_in_order_after_it_restarts()
            throws Exception {
        String sku = uniqueSku("KETTLE");
        ServiceFixture.Instance first = products.start();
        try (Connection olderTransaction = products.dataSource().getConnection()) {
            // an open transaction that began before the changes: the relay publishes no row committed after it
            // began until it ends (gap-free reading, ADR 0002), so the changes stay unpublished
            olderTransaction.setAutoCommit(false);
            try (Statement statement = olderTransaction.createStatement()) {
                statement.execute("SELECT pg_current_xact_id()");
            }
            assertThat(first.http().post("/api/products", "{\"sku\":\"" + sku + "\",\"name\":\"Kettle\",\"price\":25.00}").statusCode())
                    .isEqualTo(201);
            assertThat(first.http().put("/api/products/" + sku, update("Kettle", "27.00")).statusCode()).isEqualTo(200);
            assertThat(outboxRows(sku)).as("committed with the product, not published").isEqualTo(2);

            first.close();

            assertThat(outboxRows(sku)).as("still waiting in the outbox after the stop").isEqualTo(2);
            olderTransaction.rollback();
        }

        try (ServiceFixture.Instance second = products.start();
             TopicReader reader = TopicReader.of(broker.bootstrapServers(), ProductTopics.EVENTS, Set.of(sku))) {
            assertThat(second.http().put("/api/products/" + sku, update("Kettle", "29.00")).statusCode()).isEqualTo(200);

            reader.await(records -> records.stream().anyMatch(record -> record.sequence() == 3));
            assertThat(reader.of(sku)).extracting(TopicReader.Record::sequence).containsExactly(1L, 2L, 3L);
            assertThat(reader.of(sku)).extracting(TopicReader.Record::type)
                    .containsExactly(ProductAdded.TYPE, ProductChanged.TYPE, ProductChanged.TYPE);
            assertThat(reader.of(sku)).extracting(record -> record.json().get("price").decimalValue().setScale(2))
                    .containsExactly(new BigDecimal("25.00"), new BigDecimal("27.00"), new BigDecimal("29.00"));
        }
    }

    @Test
    void two_instances_share_the_publishing_and_every_product_gets_each_event_once_in_order() throws Exception {
        RelayGroup relay = RelayGroup.of(products.dataSource(), ProductService.NAME);
        try (ServiceFixture.Instance a = products.start(); ServiceFixture.Instance b = products.start()) {
            relay.awaitHeldBy(2, 2);
            RelayGroup.Snapshot before = relay.snapshot();
            List<String> skus = new ArrayList<>();

            for (int i = 0; i < 20; i++) {
                String sku = uniqueSku("P" + i);
                skus.add(sku);
                ServiceFixture.Instance adder = i % 2 == 0 ? a : b;
                assertThat(adder.http().post("/api/products", "{\"sku\":\"" + sku + "\",\"name\":\"Product " + i + "\",\"price\":10.00}")
                        .statusCode()).isEqualTo(201);
            }
            for (int i = 0; i < skus.size(); i++) {
                ServiceFixture.Instance changer = i % 2 == 0 ? b : a;
                assertThat(changer.http().put("/api/products/" + skus.get(i), update("Product " + i, "11.00")).statusCode()).isEqualTo(200);
            }

            try (TopicReader reader = TopicReader.of(broker.bootstrapServers(), ProductTopics.EVENTS, skus)) {
                reader.awaitAtLeast(skus.size() * 2);
                Set<String> messageIds = new HashSet<>();
                for (String sku : skus) {
                    List<TopicReader.Record> events = reader.of(sku);
                    assertThat(events).extracting(TopicReader.Record::type).containsExactly(ProductAdded.TYPE, ProductChanged.TYPE);
                    assertThat(events).extracting(TopicReader.Record::sequence).containsExactly(1L, 2L);
                    assertThat(events.get(1).json().get("price").decimalValue().setScale(2)).isEqualTo(new BigDecimal("11.00"));
                    events.forEach(event -> messageIds.add(event.id()));
                }
                assertThat(messageIds).as("no event twice").hasSize(skus.size() * 2);
            }
            assertThat(relay.publishedSince(before)).as("events each instance published").hasSize(2)
                    .allSatisfy((instance, published) -> assertThat(published).isPositive());
        }
    }

    private static long outboxRows(String sku) throws SQLException {
        try (Connection connection = products.dataSource().getConnection();
             PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM keel.outbox WHERE aggregateid = ?")) {
            count.setString(1, sku);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
