package dev.keel.shop.customer;

import static dev.keel.shop.platform.testing.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.shop.customer.api.CustomerRegistered;
import dev.keel.shop.customer.api.CustomerTopics;
import dev.keel.shop.customer.api.CustomerUpdated;
import dev.keel.shop.platform.testing.ServiceFixture;
import dev.keel.shop.platform.testing.TopicReader;
import dev.keel.test.TestDatabase;
import dev.keel.test.TestKafka;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The customer service's HTTP contract (docs/shop-api.md) and its events, on real PostgreSQL and Kafka. */
@WithInfrastructure
class CustomerServiceTest {

    static ServiceFixture customers;
    static ServiceFixture.Instance service;
    static TestKafka broker;

    @BeforeAll
    static void start(TestDatabase db, TestKafka kafka) throws Exception {
        broker = kafka;
        customers = ServiceFixture.of(new CustomerService(), db, kafka);
        service = customers.start();
    }

    @AfterAll
    static void stop() {
        customers.close();
    }

    @Test
    void registering_answers_201_with_the_customer_and_where_it_is() {
        String email = uniqueEmail("ada");

        HttpResponse<String> response = register("Ada Lovelace", email);

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode customer = json(response);
        assertThat(UUID.fromString(customer.get("id").asText())).isNotNull();
        assertThat(customer.get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(customer.get("email").asText()).isEqualTo(email);
        assertThat(customer.get("version").asLong()).isEqualTo(1);
        assertThat(customer.get("registeredAt").asText()).isNotBlank();
        assertThat(response.headers().firstValue("Location")).hasValue("/api/customers/" + customer.get("id").asText());
    }

    @Test
    void a_registered_customer_is_read_back_by_id_and_appears_in_the_list() {
        JsonNode registered = json(register("Grace Hopper", uniqueEmail("grace")));
        String id = registered.get("id").asText();

        HttpResponse<String> one = service.http().get("/api/customers/" + id);
        HttpResponse<String> list = service.http().get("/api/customers?limit=1000");

        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one)).isEqualTo(registered);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list).findValuesAsText("id")).contains(id);
    }

    @Test
    void the_list_pages_with_limit_and_offset_oldest_first() {
        List<String> ids = Stream.of("Page One", "Page Two", "Page Three")
                .map(name -> json(register(name, uniqueEmail("page"))).get("id").asText()).toList();
        List<String> all = json(service.http().get("/api/customers?limit=1000")).findValuesAsText("id");
        int first = all.indexOf(ids.get(0));

        JsonNode page = json(service.http().get("/api/customers?limit=2&offset=" + (first + 1)));

        assertThat(all.subList(first, first + 3)).containsExactlyElementsOf(ids);
        assertThat(page.findValuesAsText("id")).containsExactly(ids.get(1), ids.get(2));
    }

    @Test
    void updating_changes_name_and_email_and_raises_the_version() {
        JsonNode registered = json(register("Alan Turing", uniqueEmail("alan")));
        String id = registered.get("id").asText();
        String newEmail = uniqueEmail("turing");

        HttpResponse<String> response = service.http().put("/api/customers/" + id, details("Alan M. Turing", newEmail));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode updated = json(response);
        assertThat(updated.get("name").asText()).isEqualTo("Alan M. Turing");
        assertThat(updated.get("email").asText()).isEqualTo(newEmail);
        assertThat(updated.get("version").asLong()).isEqualTo(2);
        assertThat(updated.get("registeredAt")).isEqualTo(registered.get("registeredAt"));
        assertThat(json(service.http().get("/api/customers/" + id))).isEqualTo(updated);
    }

    @Test
    void registering_and_updating_publish_customer_events_keyed_by_the_customer_id_with_cloudevents_headers() {
        String email = uniqueEmail("edsger");
        HttpResponse<String> response = service.http().post("/api/customers", details("Edsger Dijkstra", email),
                "X-Correlation-Id", "register-edsger");
        String id = json(response).get("id").asText();
        String newEmail = uniqueEmail("ewd");
        service.http().put("/api/customers/" + id, details("Edsger W. Dijkstra", newEmail));

        try (TopicReader reader = TopicReader.of(broker.bootstrapServers(), CustomerTopics.EVENTS, Set.of(id))) {
            List<TopicReader.Record> events = reader.awaitAtLeast(2);

            TopicReader.Record registered = events.get(0);
            assertThat(registered.key()).isEqualTo(id);
            assertThat(registered.type()).isEqualTo(CustomerRegistered.TYPE);
            assertThat(registered.sequence()).isEqualTo(1);
            assertThat(registered.headers()).containsEntry("ce_specversion", "1.0").containsEntry("ce_source", "/shop/customer")
                    .containsEntry("ce_subject", id).containsEntry("content-type", "application/json")
                    .containsEntry("ce_correlationid", "register-edsger").containsKeys("ce_id", "ce_time", "traceparent");
            assertThat(registered.json().get("customerId").asText()).isEqualTo(id);
            assertThat(registered.json().get("name").asText()).isEqualTo("Edsger Dijkstra");
            assertThat(registered.json().get("email").asText()).isEqualTo(email);
            assertThat(registered.json().get("registeredAt").asText()).isEqualTo(json(response).get("registeredAt").asText());

            TopicReader.Record updated = events.get(1);
            assertThat(updated.type()).isEqualTo(CustomerUpdated.TYPE);
            assertThat(updated.sequence()).isEqualTo(2);
            assertThat(updated.json().get("name").asText()).isEqualTo("Edsger W. Dijkstra");
            assertThat(updated.json().get("email").asText()).isEqualTo(newEmail);
        }
    }

    @Test
    void the_same_details_again_change_nothing_and_publish_nothing() {
        String email = uniqueEmail("barbara");
        String id = json(register("Barbara Liskov", email)).get("id").asText();

        HttpResponse<String> same = service.http().put("/api/customers/" + id, details("Barbara Liskov", email));
        service.http().put("/api/customers/" + id, details("Barbara H. Liskov", email));

        assertThat(same.statusCode()).isEqualTo(200);
        assertThat(json(same).get("version").asLong()).isEqualTo(1);
        try (TopicReader reader = TopicReader.of(broker.bootstrapServers(), CustomerTopics.EVENTS, Set.of(id))) {
            List<TopicReader.Record> events = reader.awaitAtLeast(2);
            assertThat(events).extracting(TopicReader.Record::type).containsExactly(CustomerRegistered.TYPE, CustomerUpdated.TYPE);
            assertThat(events.get(1).json().get("name").asText()).isEqualTo("Barbara H. Liskov");
        }
    }

    @Test
    void a_registration_retried_with_the_same_idempotency_key_creates_one_customer_and_one_event() throws Exception {
        String body = details("Margaret Hamilton", uniqueEmail("margaret"));
        String key = "register-" + UUID.randomUUID();

        HttpResponse<String> first = service.http().post("/api/customers", body, "Idempotency-Key", key);
        HttpResponse<String> retry = service.http().post("/api/customers", body, "Idempotency-Key", key);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        String id = json(first).get("id").asText();
        assertThat(count("SELECT count(*) FROM customer.customers WHERE name = 'Margaret Hamilton'")).isEqualTo(1);
        // the customer's next event is #2: the retry published nothing
        service.http().put("/api/customers/" + id, details("Margaret H. Hamilton", uniqueEmail("mhh")));
        try (TopicReader reader = TopicReader.of(broker.bootstrapServers(), CustomerTopics.EVENTS, Set.of(id))) {
            assertThat(reader.awaitAtLeast(2)).extracting(TopicReader.Record::sequence).containsExactly(1L, 2L);
        }
    }

    @Test
    void the_same_idempotency_key_with_another_body_is_refused_with_422_and_writes_nothing() throws Exception {
        String key = "register-" + UUID.randomUUID();
        service.http().post("/api/customers", details("Frances Allen", uniqueEmail("frances")), "Idempotency-Key", key);
        Written before = written();

        HttpResponse<String> reused = service.http().post("/api/customers", details("Fran Allen", uniqueEmail("fran")), "Idempotency-Key", key);

        assertProblem(reused, 422, "/problems/idempotency-key-reused");
        assertThat(written()).isEqualTo(before);
    }

    @Test
    void an_email_already_registered_in_any_case_is_a_409_and_writes_nothing() throws Exception {
        String email = uniqueEmail("kathleen");
        register("Kathleen Booth", email);
        Written before = written();

        HttpResponse<String> again = register("Kathleen Britten", email.toUpperCase(java.util.Locale.ROOT));

        JsonNode problem = assertProblem(again, 409, "/problems/conflict");
        assertThat(problem.get("detail").asText()).isEqualTo("a customer with the email " + email.toUpperCase(java.util.Locale.ROOT)
                + " is already registered");
        assertThat(written()).isEqualTo(before);
    }

    @Test
    void updating_to_the_email_of_another_customer_is_a_409_and_changes_nothing() throws Exception {
        String taken = uniqueEmail("taken");
        register("Radia Perlman", taken);
        String id = json(register("Radia J. Perlman", uniqueEmail("radia"))).get("id").asText();
        Written before = written();

        HttpResponse<String> response = service.http().put("/api/customers/" + id, details("Radia J. Perlman", taken));

        JsonNode problem = assertProblem(response, 409, "/problems/conflict");
        assertThat(problem.get("detail").asText()).isEqualTo("another customer is registered with the email " + taken);
        assertThat(written()).isEqualTo(before);
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"name\":\"Ada\",", 400, "malformed JSON"),
                Arguments.of("a number for the name", "{\"name\":42,\"email\":\"ada@example.com\"}", 400, "$.name"),
                Arguments.of("an unknown field", "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"vip\":true}", 400, "unknown field 'vip'"),
                Arguments.of("a blank name", "{\"name\":\"  \",\"email\":\"ada@example.com\"}", 400, "name must not be blank"),
                Arguments.of("no name", "{\"email\":\"ada@example.com\"}", 400, "name must not be blank"),
                Arguments.of("a bad email", "{\"name\":\"Ada\",\"email\":\"ada-at-example.com\"}", 400,
                        "email must be an address like name@example.com"),
                Arguments.of("a name too long", "{\"name\":\"" + "a".repeat(101) + "\",\"email\":\"ada@example.com\"}", 400,
                        "name must be at most 100 characters"),
                Arguments.of("a control character", "{\"name\":\"Ada\\u0000\",\"email\":\"ada@example.com\"}", 400,
                        "name must not contain control characters"),
                Arguments.of("an array", "[]", 400, "$"),
                Arguments.of("an empty body", "", 400, "the request body is empty"),
                Arguments.of("an oversized body", "{\"name\":\"" + "a".repeat(20_000) + "\",\"email\":\"ada@example.com\"}", 413,
                        "exceeds the limit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void a_registration_with_bad_input_is_a_clear_problem_and_writes_nothing(String what, String body, int status, String says)
            throws Exception {
        Written before = written();

        HttpResponse<String> response = service.http().post("/api/customers", body, "Idempotency-Key", "bad-" + UUID.randomUUID());

        JsonNode problem = assertProblem(response, status, status == 413 ? "/problems/too-large" : "/problems/validation");
        assertThat(problem.toString()).contains(says);
        assertThat(written()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void an_update_with_bad_input_is_a_clear_problem_and_changes_nothing(String what, String body, int status, String says)
            throws Exception {
        String id = json(register("Hedy Lamarr", uniqueEmail("hedy"))).get("id").asText();
        Written before = written();

        HttpResponse<String> response = service.http().put("/api/customers/" + id, body);

        JsonNode problem = assertProblem(response, status, status == 413 ? "/problems/too-large" : "/problems/validation");
        assertThat(problem.toString()).contains(says);
        assertThat(written()).isEqualTo(before);
    }

    @Test
    void a_body_that_is_not_json_is_refused_with_415_and_writes_nothing() throws Exception {
        Written before = written();

        HttpResponse<String> response = service.http().send(service.http().request("/api/customers")
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("Ada, ada@example.com")));

        assertProblem(response, 415, "/problems/unsupported-media-type");
        assertThat(written()).isEqualTo(before);
    }

    @Test
    void an_unknown_customer_is_a_404_problem_to_read_and_to_update() throws Exception {
        String unknown = UUID.randomUUID().toString();
        Written before = written();

        JsonNode read = assertProblem(service.http().get("/api/customers/" + unknown), 404, "/problems/not-found");
        JsonNode update = assertProblem(service.http().put("/api/customers/" + unknown, details("Nobody", uniqueEmail("nobody"))),
                404, "/problems/not-found");

        assertThat(read.get("detail").asText()).isEqualTo("customer " + unknown + " does not exist");
        assertThat(update.get("detail").asText()).isEqualTo("customer " + unknown + " does not exist");
        assertThat(written()).isEqualTo(before);
    }

    @Test
    void an_id_that_is_not_a_uuid_is_a_400_problem() {
        JsonNode problem = assertProblem(service.http().get("/api/customers/customer-7"), 400, "/problems/validation");

        assertThat(problem.get("detail").asText()).isEqualTo("id must be a UUID, got 'customer-7'");
    }

    @Test
    void a_page_outside_the_bounds_is_a_400_problem() {
        assertProblem(service.http().get("/api/customers?limit=0"), 400, "/problems/validation");
        assertProblem(service.http().get("/api/customers?limit=1001"), 400, "/problems/validation");
        assertProblem(service.http().get("/api/customers?limit=ten"), 400, "/problems/validation");
        assertProblem(service.http().get("/api/customers?offset=-1"), 400, "/problems/validation");
    }

    @Test
    void is_ready_with_its_database_and_relay_and_has_no_parked_messages() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> ready = service.http().get("/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(json(ready).get("checks").get("relay:customer").asText()).startsWith("UP");
        });
        HttpResponse<String> parked = service.http().get("/admin/parked");

        assertThat(parked.statusCode()).isEqualTo(200);
        assertThat(json(parked).isArray()).isTrue();
        assertThat(json(parked)).isEmpty();
        assertThat(service.http().get("/metrics").body()).contains("keel_outbox_relay_published_total").contains("route=\"/api/customers\"");
    }

    /** What the service has written: its customers, the outbox's per-key sequences and the idempotency keys. */
    record Written(List<String> customers, List<String> outboxKeys, long idempotencyKeys) {
    }

    private static Written written() throws SQLException {
        return new Written(
                rows("SELECT id || ' ' || name || ' ' || email || ' ' || version FROM customer.customers ORDER BY id"),
                rows("SELECT aggregateid || ' #' || last_sequence FROM keel.outbox_keys ORDER BY aggregateid"),
                count("SELECT count(*) FROM customer.idempotency_keys"));
    }

    private static List<String> rows(String sql) throws SQLException {
        try (Connection connection = customers.dataSource().getConnection(); PreparedStatement select = connection.prepareStatement(sql);
             ResultSet rows = select.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    private static long count(String sql) throws SQLException {
        return Long.parseLong(rows(sql).get(0));
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo(type);
        assertThat(problem.get("detail").asText()).isNotBlank();
        return problem;
    }

    private static HttpResponse<String> register(String name, String email) {
        return service.http().post("/api/customers", details(name, email));
    }

    static String details(String name, String email) {
        return "{\"name\":\"" + name + "\",\"email\":\"" + email + "\"}";
    }

    static String uniqueEmail(String name) {
        return name + "+" + UUID.randomUUID() + "@example.com";
    }
}
