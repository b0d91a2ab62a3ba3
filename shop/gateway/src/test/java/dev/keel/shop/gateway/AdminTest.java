package dev.keel.shop.gateway;

import static dev.keel.shop.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithInfrastructure
class AdminTest {

    private FakeShop shop;
    private TestGateway gateway;
    private TestDatabase db;

    @BeforeEach
    void start(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA IF EXISTS gateway CASCADE");
        shop = new FakeShop();
        gateway = TestGateway.start(db, shop.directory(), Map.of(
                // generous, so that a healthy stand-in on a busy machine is never cut off; hanging ones take this long
                "gateway.callTimeout", "2s", "gateway.forwardTimeout", "2s", "gateway.adminDeadline", "6s"));
    }

    @AfterEach
    void stop() {
        gateway.close();
        shop.close();
    }

    @Test
    void lists_the_health_of_every_service_and_marks_the_one_that_does_not_answer() {
        shop.shipping.stop();

        JsonNode health = json(gateway.get("/api/admin/services"));

        assertThat(health.get("services")).extracting(service -> service.get("name").asText())
                .containsExactly("gateway", "customer", "product", "inventory", "payment", "shipping", "order", "order-view");
        JsonNode shipping = service(health, "shipping");
        assertThat(shipping.get("status").asText()).isEqualTo("UNREACHABLE");
        assertThat(shipping.get("detail").asText()).isEqualTo("connection refused");
        JsonNode order = service(health, "order");
        assertThat(order.get("status").asText()).isEqualTo("UP");
        assertThat(order.get("circuitBreaker").asText()).isEqualTo("CLOSED");
        assertThat(service(health, "gateway").get("checks").get("database").asText()).isEqualTo("UP");
        assertThat(health.get("up").asInt()).isEqualTo(7);
        assertThat(health.get("allUp").asBoolean()).isFalse();
    }

    @Test
    void a_service_that_hangs_is_unreachable_and_does_not_hold_up_the_health_page() {
        shop.payment.hang();

        JsonNode payment = service(json(gateway.get("/api/admin/services")), "payment");

        assertThat(payment.get("status").asText()).isEqualTo("UNREACHABLE");
        assertThat(payment.get("detail").asText()).contains("no answer within 2000 ms");
    }

    @Test
    void gathers_parked_messages_from_every_service_and_marks_a_service_that_did_not_answer() {
        shop.order.stop();

        HttpResponse<String> response = gateway.get("/api/admin/parked");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode parked = json(response);
        assertThat(parked.get("complete").asBoolean()).isFalse();
        assertThat(parked.get("data").get("payment").get(0).get("id").asInt()).isEqualTo(7);
        assertThat(parked.get("parts").get("order").get("status").asText()).isEqualTo("missing");
        assertThat(parked.get("parts").get("order").get("reason").asText()).isEqualTo("connection_refused");
        assertThat(parked.get("parts").get("customer").get("status").asText()).isEqualTo("complete");
        assertThat(parked.get("data").has("customer")).as("a service without parked messages has none").isFalse();
    }

    @Test
    void passes_the_saga_filters_on_to_every_service() {
        JsonNode sagas = json(gateway.get("/api/admin/sagas?status=COMPLETED&type=place-order"));

        assertThat(sagas.get("complete").asBoolean()).isTrue();
        assertThat(sagas.get("data").get("order").get(0).get("id").asText()).isEqualTo(FakeShop.SAGA);
        assertThat(shop.order.received("/admin/sagas")).singleElement()
                .satisfies(request -> assertThat(request.query()).isEqualTo("status=COMPLETED&type=place-order"));
    }

    @Test
    void a_saga_filter_that_is_not_a_plain_token_is_a_400_problem() {
        HttpResponse<String> response = gateway.get("/api/admin/sagas?status=%27%3B%20drop");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("errors").get(0).get("field").asText()).isEqualTo("status");
        assertThat(shop.order.received()).isEmpty();
    }

    @Test
    void finds_one_saga_with_its_transition_log_on_whichever_service_runs_it() {
        HttpResponse<String> response = gateway.get("/api/admin/sagas/" + FakeShop.SAGA);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode found = json(response);
        assertThat(found.get("service").asText()).isEqualTo("order");
        assertThat(found.get("saga").get("transitions")).hasSize(4);
    }

    @Test
    void a_saga_no_service_knows_is_a_404_problem() {
        HttpResponse<String> response = gateway.get("/api/admin/sagas/no-such-saga");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("detail").asText()).contains("no service knows a saga no-such-saga");
    }

    @Test
    void a_saga_not_found_while_a_service_is_silent_is_a_503_not_a_404() {
        shop.order.stop();

        HttpResponse<String> response = gateway.get("/api/admin/sagas/" + FakeShop.SAGA);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("detail").asText()).contains("order refused the connection");
    }

    @Test
    void gathers_projections_and_replicas() {
        JsonNode projections = json(gateway.get("/api/admin/projections"));
        JsonNode replicas = json(gateway.get("/api/admin/replicas"));

        assertThat(projections.get("data").get("order-view").get(0).get("name").asText()).isEqualTo("order-summaries");
        assertThat(replicas.get("data").get("order")).extracting(replica -> replica.get("name").asText())
                .containsExactly("customers", "products");
    }

    @Test
    void retrying_a_parked_message_goes_to_its_service_and_is_audited_with_who_and_the_result() {
        HttpResponse<String> response = gateway.post("/api/admin/parked/payment/7/retry", "", "X-Actor", "ops@shop",
                "X-Correlation-Id", "retry-1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("state").asText()).isEqualTo("RETRYING");
        assertThat(shop.payment.received("/admin/parked/7/retry")).singleElement()
                .satisfies(request -> assertThat(request.method()).isEqualTo("POST"));
        JsonNode entry = json(gateway.get("/api/admin/audit")).get("entries").get(0);
        assertThat(entry.get("id").asText()).isEqualTo(response.headers().firstValue("X-Audit-Id").orElseThrow());
        assertThat(entry.get("actor").asText()).isEqualTo("ops@shop");
        assertThat(entry.get("action").asText()).isEqualTo("parked.retry");
        assertThat(entry.get("service").asText()).isEqualTo("payment");
        assertThat(entry.get("target").asText()).isEqualTo("7");
        assertThat(entry.get("outcome").asText()).isEqualTo("succeeded");
        assertThat(entry.get("httpStatus").asInt()).isEqualTo(200);
        assertThat(entry.get("correlationId").asText()).isEqualTo("retry-1");
        assertThat(entry.has("finishedAt")).isTrue();
    }

    @Test
    void skipping_a_message_the_service_does_not_have_is_refused_by_it_and_audited_as_refused() {
        HttpResponse<String> response = gateway.post("/api/admin/parked/payment/99/skip", "");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("detail").asText()).isEqualTo("parked message 99 does not exist");
        JsonNode entry = json(gateway.get("/api/admin/audit?action=parked.skip")).get("entries").get(0);
        assertThat(entry.get("outcome").asText()).isEqualTo("refused");
        assertThat(entry.get("actor").asText()).isEqualTo("anonymous");
        assertThat(entry.get("detail").asText()).isEqualTo("parked message 99 does not exist");
    }

    @Test
    void an_operation_on_a_service_that_is_down_is_a_503_problem_and_audited_as_failed() {
        shop.payment.stop();

        HttpResponse<String> response = gateway.post("/api/admin/parked/payment/7/retry", "");

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode entry = json(gateway.get("/api/admin/audit")).get("entries").get(0);
        assertThat(entry.get("outcome").asText()).isEqualTo("failed");
        assertThat(entry.get("detail").asText()).contains("refused the connection");
    }

    @Test
    void an_operation_that_times_out_is_audited_as_unknown_because_it_may_have_happened() {
        shop.payment.hang();

        HttpResponse<String> response = gateway.post("/api/admin/parked/payment/7/retry", "");

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(json(gateway.get("/api/admin/audit")).get("entries").get(0).get("outcome").asText()).isEqualTo("unknown");
    }

    @Test
    void an_operation_on_an_unknown_service_is_a_404_problem_and_writes_nothing() {
        HttpResponse<String> response = gateway.post("/api/admin/parked/warehouse/7/retry", "");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("type").asText()).isEqualTo("/problems/unknown-service");
        assertThat(json(response).get("detail").asText()).contains("warehouse").contains("payment");
        assertThat(json(gateway.get("/api/admin/audit")).get("total").asLong()).isZero();
    }

    @Test
    void an_actor_header_with_control_characters_is_a_400_problem_and_nothing_is_sent() {
        HttpResponse<String> response = gateway.post("/api/admin/parked/payment/7/retry", "", "X-Actor", "x".repeat(101));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(shop.payment.received()).isEmpty();
        assertThat(json(gateway.get("/api/admin/audit")).get("total").asLong()).isZero();
    }

    @Test
    void rebuilding_a_projection_goes_to_the_service_that_lists_it_and_is_audited() {
        HttpResponse<String> response = gateway.post("/api/admin/projections/order-summaries/rebuild", "", "X-Actor", "ops@shop");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response).get("status").asText()).isEqualTo("REBUILDING");
        assertThat(shop.orderView.received("/admin/projections/order-summaries/rebuild")).hasSize(1);
        JsonNode entry = json(gateway.get("/api/admin/audit?action=projection.rebuild")).get("entries").get(0);
        assertThat(entry.get("service").asText()).isEqualTo("order-view");
        assertThat(entry.get("target").asText()).isEqualTo("order-summaries");
        assertThat(entry.get("outcome").asText()).isEqualTo("succeeded");
    }

    @Test
    void rebuilding_a_projection_no_service_has_is_a_404_problem_and_sends_nothing() {
        HttpResponse<String> response = gateway.post("/api/admin/projections/no-such-view/rebuild", "");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("detail").asText()).contains("no service has a projection named 'no-such-view'");
        shop.all().forEach(standIn -> assertThat(standIn.received()).noneMatch(request -> request.method().equals("POST")));
        assertThat(json(gateway.get("/api/admin/audit")).get("total").asLong()).isZero();
    }

    @Test
    void the_audit_log_lists_newest_first_with_filters_and_paging() {
        gateway.post("/api/admin/parked/payment/7/retry", "");
        gateway.post("/api/admin/parked/payment/7/skip", "");
        gateway.post("/api/admin/projections/order-summaries/rebuild", "");

        JsonNode all = json(gateway.get("/api/admin/audit"));
        JsonNode secondPage = json(gateway.get("/api/admin/audit?limit=1&offset=1"));
        JsonNode payment = json(gateway.get("/api/admin/audit?service=payment"));

        assertThat(all.get("entries")).extracting(entry -> entry.get("action").asText())
                .containsExactly("projection.rebuild", "parked.skip", "parked.retry");
        assertThat(secondPage.get("entries")).extracting(entry -> entry.get("action").asText()).containsExactly("parked.skip");
        assertThat(secondPage.get("total").asLong()).isEqualTo(3);
        assertThat(payment.get("total").asLong()).isEqualTo(2);
    }

    @Test
    void an_audit_filter_that_is_not_an_action_is_a_400_problem() {
        HttpResponse<String> response = gateway.get("/api/admin/audit?action=delete-everything");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("detail").asText()).contains("parked.retry");
    }

    @Test
    void no_operation_is_sent_when_the_audit_log_cannot_be_written() {
        db.execute("ALTER TABLE gateway.audit_log RENAME TO audit_log_gone");
        try {
            HttpResponse<String> response = gateway.post("/api/admin/parked/payment/7/retry", "");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(json(response).get("detail").asText()).contains("the audit log cannot be written");
            assertThat(shop.payment.received()).isEmpty();
        } finally {
            db.execute("ALTER TABLE gateway.audit_log_gone RENAME TO audit_log");
        }
    }

    private static JsonNode service(JsonNode health, String name) {
        for (JsonNode service : health.get("services")) {
            if (service.get("name").asText().equals(name)) {
                return service;
            }
        }
        throw new AssertionError("no service " + name + " in " + health);
    }
}
