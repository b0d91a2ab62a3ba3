package dev.keel.shop.product;

import static dev.keel.shop.platform.testing.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.shop.platform.testing.ServiceFixture;
import dev.keel.shop.platform.testing.TopicReader;
import dev.keel.shop.product.api.ProductAdded;
import dev.keel.shop.product.api.ProductChanged;
import dev.keel.shop.product.api.ProductTopics;
import dev.keel.test.TestDatabase;
import dev.keel.test.TestKafka;
import dev.keel.test.WithInfrastructure;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The product service's HTTP contract (docs/shop-api.md) and its events, on real PostgreSQL and Kafka. */
@WithInfrastructure
class ProductServiceTest {

    static ServiceFixture products;
    static ServiceFixture.Instance service;
    static TestKafka broker;

    @BeforeAll
    static void start(TestDatabase db, TestKafka kafka) throws Exception {
        broker = kafka;
        products = ServiceFixture.of(new ProductService(), db, kafka);
        service = products.start();
    }

    @AfterAll
    static void stop() {
        products.close();
    }

    @Test
    void adding_a_product_answers_201_with_it_and_where_it_is() {
        String sku = uniqueSku("KETTLE");

        HttpResponse<String> response = add(sku, "Kettle", "25.5");

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode product = json(response);
        assertThat(product.get("sku").asText()).isEqualTo(sku);
        assertThat(product.get("name").asText()).isEqualTo("Kettle");
        assertThat(product.get("price").decimalValue().setScale(2)).isEqualTo(new BigDecimal("25.50"));
        assertThat(product.get("version").asLong()).isEqualTo(1);
        assertThat(response.headers().firstValue("Location")).hasValue("/api/products/" + sku);
        assertThat(response.body()).as("EUR with two decimals").contains("\"price\":25.50");
    }

    @Test
    void an_added_product_is_read_back_by_sku_and_listed_by_sku() {
        String prefix = uniqueSku("LIST");
        List<String> skus = List.of(prefix + "-A", prefix + "-B", prefix + "-C");
        JsonNode added = json(add(skus.get(1), "Mug", "7.25"));
        add(skus.get(2), "Plate", "9.00");
        add(skus.get(0), "Bowl", "8.00");

        HttpResponse<String> one = service.http().get("/api/products/" + skus.get(1));
        List<String> all = json(service.http().get("/api/products?limit=1000")).findValuesAsText("sku");
        int first = all.indexOf(skus.get(0));
        JsonNode page = json(service.http().get("/api/products?limit=2&offset=" + (first + 1)));

        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one)).isEqualTo(added);
        assertThat(all.subList(first, first + 3)).containsExactlyElementsOf(skus);
        assertThat(page.findValuesAsText("sku")).containsExactly(skus.get(1), skus.get(2));
    }

    @Test
    void changing_name_and_price_raises_the_version() {
        String sku = uniqueSku("TEAPOT");
        add(sku, "Teapot", "30.00");

        HttpResponse<String> response = service.http().put("/api/products/" + sku, update("Teapot, large", "34.90"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode changed = json(response);
        assertThat(changed.get("name").asText()).isEqualTo("Teapot, large");
        assertThat(changed.get("price").decimalValue().setScale(2)).isEqualTo(new BigDecimal("34.90"));
        assertThat(changed.get("version").asLong()).isEqualTo(2);
        assertThat(json(service.http().get("/api/products/" + sku))).isEqualTo(changed);
    }

    @Test
    void adding_and_changing_publish_product_events_keyed_by_sku_with_the_full_state_and_the_previous_price() {
        String sku = uniqueSku("PAN");
        add(sku, "Pan", "19.99", "X-Correlation-Id", "add-pan");
        service.http().put("/api/products/" + sku, update("Pan", "17.5"));

        try (TopicReader reader = TopicReader.of(broker.bootstrapServers(), ProductTopics.EVENTS, Set.of(sku))) {
            List<TopicReader.Record> events = reader.awaitAtLeast(2);

            TopicReader.Record added = events.get(0);
            assertThat(added.key()).isEqualTo(sku);
            assertThat(added.type()).isEqualTo(ProductAdded.TYPE);
            assertThat(added.sequence()).isEqualTo(1);
            assertThat(added.headers()).containsEntry("ce_specversion", "1.0").containsEntry("ce_source", "/shop/product")
                    .containsEntry("ce_subject", sku).containsEntry("ce_correlationid", "add-pan").containsKeys("ce_id", "ce_time");
            assertThat(added.json().get("sku").asText()).isEqualTo(sku);
            assertThat(added.json().get("name").asText()).isEqualTo("Pan");
            assertThat(added.json().get("price").decimalValue().setScale(2)).isEqualTo(new BigDecimal("19.99"));
            assertThat(added.json().get("addedAt").asText()).isNotBlank();

            TopicReader.Record changed = events.get(1);
            assertThat(changed.type()).isEqualTo(ProductChanged.TYPE);
            assertThat(changed.sequence()).isEqualTo(2);
            assertThat(changed.json().get("name").asText()).isEqualTo("Pan");
            assertThat(changed.json().get("price").decimalValue().setScale(2)).isEqualTo(new BigDecimal("17.50"));
            assertThat(changed.json().get("previousPrice").decimalValue().setScale(2)).isEqualTo(new BigDecimal("19.99"));
        }
    }

    @Test
    void the_same_name_and_price_again_change_nothing_and_publish_nothing() {
        String sku = uniqueSku("CUP");
        add(sku, "Cup", "4.50");

        HttpResponse<String> same = service.http().put("/api/products/" + sku, update("Cup", "4.5"));
        service.http().put("/api/products/" + sku, update("Cup", "4.75"));

        assertThat(same.statusCode()).isEqualTo(200);
        assertThat(json(same).get("version").asLong()).isEqualTo(1);
        try (TopicReader reader = TopicReader.of(broker.bootstrapServers(), ProductTopics.EVENTS, Set.of(sku))) {
            List<TopicReader.Record> events = reader.awaitAtLeast(2);
            assertThat(events).extracting(TopicReader.Record::type).containsExactly(ProductAdded.TYPE, ProductChanged.TYPE);
            assertThat(events.get(1).json().get("price").decimalValue().setScale(2)).isEqualTo(new BigDecimal("4.75"));
        }
    }

    @Test
    void an_sku_that_exists_is_a_409_and_writes_nothing() throws Exception {
        String sku = uniqueSku("SPOON");
        add(sku, "Spoon", "2.00");
        Written before = written();

        HttpResponse<String> again = add(sku, "Another spoon", "3.00");

        JsonNode problem = assertProblem(again, 409, "/problems/conflict");
        assertThat(problem.get("detail").asText()).isEqualTo("product " + sku + " already exists");
        assertThat(written()).isEqualTo(before);
    }

    @Test
    void an_addition_retried_with_the_same_idempotency_key_creates_one_product_and_one_event() {
        String sku = uniqueSku("FORK");
        String key = "add-" + UUID.randomUUID();

        HttpResponse<String> first = add(sku, "Fork", "2.10", "Idempotency-Key", key);
        HttpResponse<String> retry = add(sku, "Fork", "2.10", "Idempotency-Key", key);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.headers().firstValue("Location")).hasValue("/api/products/" + sku);
        service.http().put("/api/products/" + sku, update("Fork", "2.20"));
        try (TopicReader reader = TopicReader.of(broker.bootstrapServers(), ProductTopics.EVENTS, Set.of(sku))) {
            assertThat(reader.awaitAtLeast(2)).extracting(TopicReader.Record::sequence).containsExactly(1L, 2L);
        }
    }

    static Stream<Arguments> badNewProducts() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"sku\":\"A-1\",", 400, "malformed JSON"),
                Arguments.of("a price as text", "{\"sku\":\"A-1\",\"name\":\"Mug\",\"price\":\"7.25\"}", 400, "$.price"),
                Arguments.of("a number as the name", "{\"sku\":\"A-1\",\"name\":7,\"price\":7.25}", 400, "$.name"),
                Arguments.of("an unknown field", "{\"sku\":\"A-1\",\"name\":\"Mug\",\"price\":7.25,\"colour\":\"red\"}", 400,
                        "unknown field 'colour'"),
                Arguments.of("a lower-case SKU", "{\"sku\":\"a-1\",\"name\":\"Mug\",\"price\":7.25}", 400,
                        "sku must be 1-40 upper-case letters, digits and dashes"),
                Arguments.of("no SKU", "{\"name\":\"Mug\",\"price\":7.25}", 400, "sku"),
                Arguments.of("a blank name", "{\"sku\":\"A-1\",\"name\":\" \",\"price\":7.25}", 400, "name must not be blank"),
                Arguments.of("a zero price", "{\"sku\":\"A-1\",\"name\":\"Mug\",\"price\":0}", 400, "price must be positive"),
                Arguments.of("a negative price", "{\"sku\":\"A-1\",\"name\":\"Mug\",\"price\":-1}", 400, "price must be positive"),
                Arguments.of("three decimals", "{\"sku\":\"A-1\",\"name\":\"Mug\",\"price\":7.255}", 400,
                        "price must have at most two decimal places"),
                Arguments.of("a price too high", "{\"sku\":\"A-1\",\"name\":\"Mug\",\"price\":1000000.01}", 400,
                        "price must be at most 1000000.00"),
                Arguments.of("no price", "{\"sku\":\"A-1\",\"name\":\"Mug\"}", 400, "price is required"),
                Arguments.of("a control character", "{\"sku\":\"A-1\",\"name\":\"Mug\\u0007\",\"price\":7.25}", 400,
                        "name must not contain control characters"),
                Arguments.of("an empty body", "", 400, "the request body is empty"),
                Arguments.of("an oversized body", "{\"sku\":\"A-1\",\"name\":\"" + "m".repeat(20_000) + "\",\"price\":7.25}", 413,
                        "exceeds the limit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badNewProducts")
    void an_addition_with_bad_input_is_a_clear_problem_and_writes_nothing(String what, String body, int status, String says)
            throws Exception {
        Written before = written();

        HttpResponse<String> response = service.http().post("/api/products", body, "Idempotency-Key", "bad-" + UUID.randomUUID());

        JsonNode problem = assertProblem(response, status, status == 413 ? "/problems/too-large" : "/problems/validation");
        assertThat(problem.toString()).contains(says);
        assertThat(written()).isEqualTo(before);
    }

    static Stream<Arguments> badUpdates() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"name\":", 400, "malformed JSON"),
                Arguments.of("a price as text", "{\"name\":\"Mug\",\"price\":\"8\"}", 400, "$.price"),
                Arguments.of("a SKU in the body", "{\"sku\":\"B-2\",\"name\":\"Mug\",\"price\":8}", 400, "unknown field 'sku'"),
                Arguments.of("a blank name", "{\"name\":\"\",\"price\":8}", 400, "name must not be blank"),
                Arguments.of("a zero price", "{\"name\":\"Mug\",\"price\":0.00}", 400, "price must be positive"),
                Arguments.of("three decimals", "{\"name\":\"Mug\",\"price\":8.001}", 400, "price must have at most two decimal places"),
                Arguments.of("a price too high", "{\"name\":\"Mug\",\"price\":99999999}", 400, "price must be at most 1000000.00"),
                Arguments.of("an oversized body", "{\"name\":\"" + "m".repeat(20_000) + "\",\"price\":8}", 413, "exceeds the limit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUpdates")
    void a_change_with_bad_input_is_a_clear_problem_and_changes_nothing(String what, String body, int status, String says)
            throws Exception {
        String sku = uniqueSku("MUG");
        add(sku, "Mug", "7.25");
        Written before = written();

        HttpResponse<String> response = service.http().put("/api/products/" + sku, body);

        JsonNode problem = assertProblem(response, status, status == 413 ? "/problems/too-large" : "/problems/validation");
        assertThat(problem.toString()).contains(says);
        assertThat(written()).isEqualTo(before);
    }

    @Test
    void a_body_that_is_not_json_is_refused_with_415_and_writes_nothing() throws Exception {
        Written before = written();

        HttpResponse<String> response = service.http().send(service.http().request("/api/products")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("sku=A-1")));

        assertProblem(response, 415, "/problems/unsupported-media-type");
        assertThat(written()).isEqualTo(before);
    }

    @Test
    void an_unknown_product_is_a_404_problem_to_read_and_to_change() throws Exception {
        String sku = uniqueSku("NOWHERE");
        Written before = written();

        JsonNode read = assertProblem(service.http().get("/api/products/" + sku), 404, "/problems/not-found");
        JsonNode change = assertProblem(service.http().put("/api/products/" + sku, update("Nothing", "1.00")), 404, "/problems/not-found");

        assertThat(read.get("detail").asText()).isEqualTo("product " + sku + " does not exist");
        assertThat(change.get("detail").asText()).isEqualTo("product " + sku + " does not exist");
        assertThat(written()).isEqualTo(before);
    }

    @Test
    void a_malformed_sku_in_the_path_is_a_400_problem() {
        JsonNode problem = assertProblem(service.http().get("/api/products/kettle-1"), 400, "/problems/validation");

        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("sku");
        assertThat(problem.get("detail").asText()).isEqualTo("sku must be 1-40 upper-case letters, digits and dashes, got 'kettle-1'");
    }

    @Test
    void a_page_outside_the_bounds_is_a_400_problem() {
        assertProblem(service.http().get("/api/products?limit=0"), 400, "/problems/validation");
        assertProblem(service.http().get("/api/products?limit=5000"), 400, "/problems/validation");
        assertProblem(service.http().get("/api/products?offset=minus"), 400, "/problems/validation");
    }

    @Test
    void is_ready_with_its_database_and_relay_and_has_no_parked_messages() {
        Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> ready = service.http().get("/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(json(ready).get("checks").get("relay:product").asText()).startsWith("UP");
        });

        assertThat(json(service.http().get("/admin/parked"))).isEmpty();
    }

    /** What the service has written: its products, the outbox's per-key sequences and the idempotency keys. */
    record Written(List<String> products, List<String> outboxKeys, long idempotencyKeys) {
    }

    private static Written written() throws SQLException {
        return new Written(
                rows("SELECT sku || ' ' || name || ' ' || price || ' ' || version FROM product.products ORDER BY sku"),
                rows("SELECT aggregateid || ' #' || last_sequence FROM keel.outbox_keys ORDER BY aggregateid"),
                Long.parseLong(rows("SELECT count(*) FROM product.idempotency_keys").get(0)));
    }

    private static List<String> rows(String sql) throws SQLException {
        try (Connection connection = products.dataSource().getConnection(); PreparedStatement select = connection.prepareStatement(sql);
             ResultSet rows = select.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo(type);
        assertThat(problem.get("detail").asText()).isNotBlank();
        return problem;
    }

    private static HttpResponse<String> add(String sku, String name, String price, String... headers) {
        return service.http().post("/api/products", "{\"sku\":\"" + sku + "\",\"name\":\"" + name + "\",\"price\":" + price + "}", headers);
    }

    static String update(String name, String price) {
        return "{\"name\":\"" + name + "\",\"price\":" + price + "}";
    }

    /** SKUs are keys on a topic every test class of the JVM shares: each test makes its own. */
    static String uniqueSku(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 13).toUpperCase(Locale.ROOT);
    }
}
