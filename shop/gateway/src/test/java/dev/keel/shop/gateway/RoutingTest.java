package dev.keel.shop.gateway;

import static dev.keel.shop.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.TraceParent;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithInfrastructure
class RoutingTest {

    private static final String PLACE_ORDER = """
            {"customerId":"%s","items":[{"sku":"KETTLE-1","quantity":1}],
             "shippingAddress":{"street":"1 Main Street","city":"Berlin","postalCode":"10115","country":"DE"}}"""
            .formatted(FakeShop.CUSTOMER);

    private FakeShop shop;
    private TestGateway gateway;

    @BeforeEach
    void start(TestDatabase db) {
        shop = new FakeShop();
        gateway = TestGateway.start(db, shop.directory(), Map.of(
                "gateway.forwardTimeout", "2s", // generous: hanging stand-ins take this long, healthy ones are never cut off
                "gateway.circuitBreaker.window", "2",
                "gateway.circuitBreaker.minimumCalls", "2",
                "gateway.circuitBreaker.openFor", "60s",
                "gateway.maxBodyBytes", "2048"));
    }

    @AfterEach
    void stop() {
        gateway.close();
        shop.close();
    }

    @Test
    void a_get_reaches_the_service_that_owns_the_resource_and_its_answer_comes_back_unchanged() {
        HttpResponse<String> direct = gateway.send(java.net.http.HttpRequest.newBuilder(
                shop.customer.uri().resolve("/api/customers/" + FakeShop.CUSTOMER)).build());
        HttpResponse<String> through = gateway.get("/api/customers/" + FakeShop.CUSTOMER);

        assertThat(through.statusCode()).isEqualTo(200);
        assertThat(through.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(through.body()).isEqualTo(direct.body());
        assertThat(shop.customer.received("/api/customers/" + FakeShop.CUSTOMER)).hasSize(2);
    }

    @Test
    void every_resource_goes_to_its_own_service() {
        assertThat(gateway.get("/api/products/KETTLE-1").statusCode()).isEqualTo(200);
        assertThat(gateway.get("/api/inventory/KETTLE-1").statusCode()).isEqualTo(200);
        assertThat(gateway.get("/api/payments/by-order/" + FakeShop.APPROVED_ORDER).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/api/shipments/by-order/" + FakeShop.APPROVED_ORDER).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/api/orders/" + FakeShop.APPROVED_ORDER).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/api/orders/replicas").statusCode()).isEqualTo(200);
        assertThat(gateway.get("/api/order-view/orders?limit=20").statusCode()).isEqualTo(200);
        assertThat(gateway.get("/api/order-view/statistics").statusCode()).isEqualTo(200);
        assertThat(gateway.get("/api/orders/" + FakeShop.APPROVED_ORDER + "/history").statusCode()).isEqualTo(200);

        assertThat(shop.product.received("/api/products/KETTLE-1")).hasSize(1);
        assertThat(shop.inventory.received("/api/inventory/KETTLE-1")).hasSize(1);
        assertThat(shop.payment.received("/api/payments/by-order/" + FakeShop.APPROVED_ORDER)).hasSize(1);
        assertThat(shop.shipping.received("/api/shipments/by-order/" + FakeShop.APPROVED_ORDER)).hasSize(1);
        assertThat(shop.order.received("/api/orders/" + FakeShop.APPROVED_ORDER)).hasSize(1);
        assertThat(shop.order.received("/api/orders/replicas")).hasSize(1);
        assertThat(shop.orderView.received("/api/order-view/statistics")).hasSize(1);
        assertThat(shop.order.received("/api/orders/" + FakeShop.APPROVED_ORDER + "/history")).hasSize(1);
        assertThat(shop.orderView.received("/api/order-view/orders")).singleElement()
                .satisfies(request -> assertThat(request.query()).isEqualTo("limit=20"));
    }

    @Test
    void a_post_passes_on_method_path_query_body_content_type_and_idempotency_key() {
        HttpResponse<String> response = gateway.post("/api/orders?source=test%20suite", PLACE_ORDER,
                "Idempotency-Key", "order-attempt-1");

        assertThat(response.statusCode()).isEqualTo(201);
        StandIn.Received received = shop.order.received("/api/orders").getFirst();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.query()).isEqualTo("source=test%20suite");
        assertThat(received.body()).isEqualTo(PLACE_ORDER);
        assertThat(received.header("Content-Type")).isEqualTo("application/json");
        assertThat(received.header("Idempotency-Key")).isEqualTo("order-attempt-1");
    }

    @Test
    void the_correlation_id_goes_to_the_service_and_comes_back_and_the_trace_continues() {
        TraceParent incoming = TraceParent.newRoot();

        HttpResponse<String> response = gateway.get("/api/customers/" + FakeShop.CUSTOMER,
                "X-Correlation-Id", "checkout-4711", "traceparent", incoming.header());

        StandIn.Received received = shop.customer.received().getFirst();
        assertThat(received.header("X-Correlation-Id")).isEqualTo("checkout-4711");
        TraceParent passedOn = TraceParent.parse(received.header("traceparent"));
        assertThat(passedOn.traceId()).isEqualTo(incoming.traceId());
        assertThat(passedOn.spanId()).isNotEqualTo(incoming.spanId());
        assertThat(response.headers().firstValue("X-Correlation-Id")).contains("checkout-4711");
    }

    @Test
    void a_request_without_a_correlation_id_gets_one_that_the_service_sees_too() {
        HttpResponse<String> response = gateway.get("/api/customers/" + FakeShop.CUSTOMER);

        String correlation = response.headers().firstValue("X-Correlation-Id").orElseThrow();
        assertThat(shop.customer.received().getFirst().header("X-Correlation-Id")).isEqualTo(correlation);
    }

    @Test
    void a_problem_from_the_service_comes_back_with_its_status_type_and_body() {
        HttpResponse<String> response = gateway.get("/api/orders/" + FakeShop.UNKNOWN_ORDER);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo("/problems/not-found");
        assertThat(problem.get("detail").asText()).isEqualTo("order " + FakeShop.UNKNOWN_ORDER + " does not exist");
    }

    @Test
    void a_validation_problem_of_the_service_comes_back_with_its_detail_and_field_errors() {
        String invalid = "{\"name\":\"Ada\",\"email\":\"not an address\"}";
        HttpResponse<String> direct = gateway.send(java.net.http.HttpRequest.newBuilder(shop.customer.uri().resolve("/api/customers"))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(invalid)).build());

        HttpResponse<String> through = gateway.post("/api/customers", invalid);

        assertThat(through.statusCode()).isEqualTo(400).isEqualTo(direct.statusCode());
        JsonNode problem = json(through);
        assertThat(problem.get("type").asText()).isEqualTo("/problems/validation");
        assertThat(problem.get("detail")).isEqualTo(json(direct).get("detail"));
        assertThat(problem.get("errors")).isNotEmpty().isEqualTo(json(direct).get("errors"));
    }

    @Test
    void a_conflict_comes_back_as_the_service_said_it() {
        HttpResponse<String> response = gateway.post("/api/shipments/" + FakeShop.SHIPMENT + "/ship", "");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json(response).get("detail").asText()).isEqualTo("shipment " + FakeShop.SHIPMENT + " is SHIPPED already");
    }

    @Test
    void a_location_that_points_at_the_service_is_made_relative_to_the_gateway() {
        HttpResponse<String> response = gateway.post("/api/customers", "{\"name\":\"Grace\",\"email\":\"grace@example.com\"}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).contains("/api/customers/0190a000-0000-7000-8000-0000000000c2");
    }

    @Test
    void a_body_over_the_size_limit_is_refused_with_413_and_never_reaches_the_service() {
        String large = "{\"name\":\"" + "x".repeat(4000) + "\",\"email\":\"a@example.com\"}";

        HttpResponse<String> response = gateway.post("/api/customers", large);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("type").asText()).isEqualTo("/problems/too-large");
        assertThat(shop.customer.received()).isEmpty();
    }

    @Test
    void a_path_that_climbs_out_of_its_resource_never_reaches_the_service() {
        HttpResponse<String> dots = gateway.send(gateway.request("/api/payments/%2e%2e/%2e%2e/admin/parked").GET().build());
        HttpResponse<String> slash = gateway.send(gateway.request("/api/payments/x%2F..%2F..%2Fadmin%2Fparked").GET().build());

        assertThat(dots.statusCode()).isBetween(400, 404);
        assertThat(slash.statusCode()).isBetween(400, 404);
        assertThat(shop.payment.received()).isEmpty();
    }

    @Test
    void a_route_nobody_owns_is_a_404_problem() {
        HttpResponse<String> response = gateway.get("/api/warehouses/1");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void a_service_that_is_down_gives_a_503_problem_naming_it() {
        shop.payment.stop();

        HttpResponse<String> response = gateway.get("/api/payments/by-order/" + FakeShop.APPROVED_ORDER);

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo("/problems/service-unavailable");
        assertThat(problem.get("detail").asText()).contains("the payment service").contains("refused the connection");
        assertThat(problem.get("instance").asText()).isEqualTo("/api/payments/by-order/" + FakeShop.APPROVED_ORDER);
    }

    @Test
    void a_service_that_does_not_answer_in_time_gives_a_504_problem_naming_it() {
        shop.customer.hang();

        HttpResponse<String> response = gateway.get("/api/customers/" + FakeShop.CUSTOMER);

        assertThat(response.statusCode()).isEqualTo(504);
        JsonNode problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo("/problems/service-timeout");
        assertThat(problem.get("detail").asText()).contains("the customer service did not answer GET /api/customers/" + FakeShop.CUSTOMER);
    }

    @Test
    void a_post_that_times_out_says_that_its_effect_is_unknown_and_how_to_retry_safely() {
        shop.order.hang();

        HttpResponse<String> response = gateway.post("/api/orders", PLACE_ORDER, "Idempotency-Key", "order-attempt-2");

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(json(response).get("detail").asText()).contains("may or may not have taken effect").contains("Idempotency-Key");
    }

    @Test
    void after_repeated_failures_the_circuit_opens_and_the_service_is_spared() {
        shop.inventory.fail(500);
        assertThat(gateway.get("/api/inventory/KETTLE-1").statusCode()).isEqualTo(500);
        assertThat(gateway.get("/api/inventory/KETTLE-1").statusCode()).isEqualTo(500);

        HttpResponse<String> refused = gateway.get("/api/inventory/KETTLE-1");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("60");
        assertThat(json(refused).get("detail").asText()).contains("the inventory service").contains("circuit breaker is open");
        assertThat(shop.inventory.received()).hasSize(2);
    }

    @Test
    void answers_that_say_no_do_not_open_the_circuit() {
        for (int i = 0; i < 4; i++) {
            assertThat(gateway.get("/api/orders/" + FakeShop.UNKNOWN_ORDER).statusCode()).isEqualTo(404);
        }

        assertThat(gateway.get("/api/orders/" + FakeShop.APPROVED_ORDER).statusCode()).isEqualTo(200);
    }

    @Test
    void a_slow_service_does_not_hold_up_the_others() {
        shop.order.hang();
        Thread.ofVirtual().start(() -> gateway.get("/api/orders/" + FakeShop.APPROVED_ORDER));
        await().atMost(Duration.ofSeconds(5)).until(() -> shop.order.hanging() > 0);

        assertThat(gateway.get("/api/customers/" + FakeShop.CUSTOMER).statusCode()).isEqualTo(200);
    }
}
