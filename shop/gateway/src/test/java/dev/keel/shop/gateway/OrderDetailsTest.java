package dev.keel.shop.gateway;

import static dev.keel.shop.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithInfrastructure
class OrderDetailsTest {

    private static final String APPROVED = "/api/orders/" + FakeShop.APPROVED_ORDER + "/details";

    private FakeShop shop;
    private TestGateway gateway;

    @BeforeEach
    void start(TestDatabase db) {
        shop = new FakeShop();
        gateway = TestGateway.start(db, shop.directory(), Map.of(
                // generous, so that a healthy stand-in on a busy machine is never cut off; hanging ones take this long
                "gateway.callTimeout", "2s", "gateway.detailsDeadline", "6s"));
    }

    @AfterEach
    void stop() {
        gateway.close();
        shop.close();
    }

    @Test
    void composes_order_customer_products_payment_and_shipment_into_one_complete_answer() {
        HttpResponse<String> response = gateway.get(APPROVED);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode details = json(response);
        assertThat(details.get("complete").asBoolean()).isTrue();
        JsonNode data = details.get("data");
        assertThat(data.get("order").get("id").asText()).isEqualTo(FakeShop.APPROVED_ORDER.toString());
        assertThat(data.get("customer").get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(data.get("products")).extracting(product -> product.get("sku").asText()).containsExactly("KETTLE-1", "MUG-2");
        assertThat(data.get("payment").get("status").asText()).isEqualTo("CHARGED");
        assertThat(data.get("shipment").get("status").asText()).isEqualTo("CREATED");
        assertThat(details.get("parts").properties()).extracting(Map.Entry::getKey)
                .containsExactly("order", "customer", "products", "payment", "shipment");
        details.get("parts").forEach(part -> assertThat(part.get("status").asText()).isEqualTo("complete"));
    }

    @Test
    void a_payment_and_shipment_that_do_not_exist_yet_are_complete_and_absent() {
        JsonNode details = json(gateway.get("/api/orders/" + FakeShop.PENDING_ORDER + "/details"));

        assertThat(details.get("complete").asBoolean()).isTrue();
        assertThat(details.get("data").has("payment")).isFalse();
        assertThat(details.get("data").has("shipment")).isFalse();
        assertThat(details.get("parts").get("payment").get("status").asText()).isEqualTo("complete");
        assertThat(details.get("parts").get("shipment").get("status").asText()).isEqualTo("complete");
    }

    @Test
    void a_service_that_is_down_leaves_its_part_missing_with_the_reason_and_the_rest_present() {
        shop.payment.stop();

        HttpResponse<String> response = gateway.get(APPROVED);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode details = json(response);
        assertThat(details.get("complete").asBoolean()).isFalse();
        assertThat(details.get("data").has("payment")).isFalse();
        JsonNode payment = details.get("parts").get("payment");
        assertThat(payment.get("status").asText()).isEqualTo("missing");
        assertThat(payment.get("reason").asText()).isEqualTo("connection_refused");
        assertThat(payment.get("detail").asText()).contains("payment");
        assertThat(details.get("data").get("customer").get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(details.get("data").get("products")).hasSize(2);
        assertThat(details.get("data").get("shipment").get("status").asText()).isEqualTo("CREATED");
    }

    @Test
    void a_service_answering_with_an_error_leaves_its_part_missing_with_the_status() {
        shop.shipping.fail(500);

        JsonNode shipment = json(gateway.get(APPROVED)).get("parts").get("shipment");

        assertThat(shipment.get("status").asText()).isEqualTo("missing");
        assertThat(shipment.get("reason").asText()).isEqualTo("error_status");
        assertThat(shipment.get("httpStatus").asInt()).isEqualTo(500);
    }

    @Test
    void a_slow_service_is_cut_off_at_its_call_timeout_and_its_part_is_missing() {
        shop.shipping.hang();

        JsonNode details = json(gateway.get(APPROVED));

        assertThat(details.get("parts").get("shipment").get("status").asText()).isEqualTo("missing");
        assertThat(details.get("parts").get("shipment").get("reason").asText()).isEqualTo("timeout");
        assertThat(details.get("data").get("payment").get("status").asText()).isEqualTo("CHARGED");
    }

    @Test
    void the_last_good_customer_stands_in_when_the_customer_service_goes_down_and_is_marked_stale() {
        assertThat(json(gateway.get(APPROVED)).get("parts").get("customer").get("status").asText()).isEqualTo("complete");
        shop.customer.stop();

        JsonNode details = json(gateway.get(APPROVED));

        JsonNode customer = details.get("parts").get("customer");
        assertThat(customer.get("status").asText()).isEqualTo("stale");
        assertThat(customer.get("reason").asText()).isEqualTo("connection_refused");
        assertThat(customer.has("ageMs")).isTrue();
        assertThat(details.get("data").get("customer").get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(details.get("complete").asBoolean()).isFalse();
    }

    @Test
    void without_an_earlier_answer_a_customer_service_that_is_down_leaves_the_customer_missing() {
        shop.customer.stop();

        JsonNode details = json(gateway.get(APPROVED));

        assertThat(details.get("parts").get("customer").get("status").asText()).isEqualTo("missing");
        assertThat(details.get("data").has("customer")).isFalse();
    }

    @Test
    void the_last_good_products_stand_in_when_the_product_service_fails() {
        gateway.get(APPROVED);
        shop.product.fail(503);

        JsonNode details = json(gateway.get(APPROVED));

        assertThat(details.get("parts").get("products").get("status").asText()).isEqualTo("stale");
        assertThat(details.get("data").get("products")).extracting(product -> product.get("name").asText()).containsExactly("Kettle", "Mug");
    }

    @Test
    void the_readmes_example_is_what_the_gateway_answers_with_customer_and_payment_down() throws IOException {
        gateway.get(APPROVED);
        shop.customer.stop();
        shop.payment.stop();

        JsonNode actual = json(gateway.get(APPROVED));

        String readme = Files.readString(Path.of("README.md"));
        int marker = readme.indexOf("<!-- details-example -->");
        int start = readme.indexOf("```json", marker) + "```json".length();
        JsonNode example = TestGateway.JSON.readTree(readme.substring(start, readme.indexOf("```", start)));
        assertThat(example.get("complete")).isEqualTo(actual.get("complete"));
        assertThat(withoutAges(example.get("parts"))).isEqualTo(withoutAges(actual.get("parts")));
        assertThat(fieldNames(example.get("data"))).isEqualTo(fieldNames(actual.get("data")));
        assertContains(actual.get("data"), example.get("data"), "$.data");
    }

    @Test
    void an_order_that_does_not_exist_is_a_404_problem() {
        HttpResponse<String> response = gateway.get("/api/orders/" + FakeShop.UNKNOWN_ORDER + "/details");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("detail").asText()).isEqualTo("order " + FakeShop.UNKNOWN_ORDER + " does not exist");
        assertThat(shop.customer.received()).isEmpty();
    }

    @Test
    void an_order_service_that_is_down_makes_the_details_a_503_problem_naming_it() {
        shop.order.stop();

        HttpResponse<String> response = gateway.get(APPROVED);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("type").asText()).isEqualTo("/problems/service-unavailable");
        assertThat(json(response).get("detail").asText()).contains("order service").contains("refused the connection");
    }

    @Test
    void an_order_service_that_is_too_slow_makes_the_details_a_504_problem() {
        shop.order.hang();

        HttpResponse<String> response = gateway.get(APPROVED);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(json(response).get("detail").asText()).contains("order did not answer");
    }

    @Test
    void an_order_service_answering_nonsense_makes_the_details_a_502_problem() {
        HttpResponse<String> response = gateway.get("/api/orders/" + FakeShop.GARBLED_ORDER + "/details");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(json(response).get("type").asText()).isEqualTo("/problems/bad-gateway");
        assertThat(json(response).get("detail").asText()).contains("order service").contains("could not be decoded");
    }

    @Test
    void an_id_that_is_not_a_uuid_is_a_400_problem_and_no_service_is_asked() {
        HttpResponse<String> response = gateway.get("/api/orders/not-an-id/details");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("type").asText()).isEqualTo("/problems/validation");
        shop.all().forEach(standIn -> assertThat(standIn.received()).isEmpty());
    }

    /** The parts with each {@code ageMs} replaced by whether it is there: ages differ from run to run. */
    private static JsonNode withoutAges(JsonNode parts) {
        ObjectNode copy = parts.deepCopy();
        copy.properties().forEach(part -> {
            ObjectNode status = (ObjectNode) part.getValue();
            if (status.has("ageMs")) {
                status.put("ageMs", "present");
            }
        });
        return copy;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Every value of the (abridged) expected document is in the actual one; numbers compare by value. */
    private static void assertContains(JsonNode actual, JsonNode expected, String where) {
        if (expected.isObject()) {
            expected.properties().forEach(field -> {
                assertThat(actual.has(field.getKey())).as(where + "." + field.getKey()).isTrue();
                assertContains(actual.get(field.getKey()), field.getValue(), where + "." + field.getKey());
            });
        } else if (expected.isArray()) {
            assertThat(actual.size()).as(where + " size").isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertContains(actual.get(i), expected.get(i), where + "[" + i + "]");
            }
        } else if (expected.isNumber()) {
            assertThat(actual.decimalValue()).as(where).isEqualByComparingTo(expected.decimalValue());
        } else {
            assertThat(actual).as(where).isEqualTo(expected);
        }
    }

    @Test
    void every_composed_call_carries_the_requests_correlation_id() {
        gateway.get(APPROVED, "X-Correlation-Id", "details-123");

        shop.all().stream().filter(standIn -> !standIn.name().equals("inventory") && !standIn.name().equals("order-view"))
                .forEach(standIn -> assertThat(standIn.received()).isNotEmpty()
                        .allSatisfy(request -> assertThat(request.header("X-Correlation-Id")).isEqualTo("details-123")));
    }
}
