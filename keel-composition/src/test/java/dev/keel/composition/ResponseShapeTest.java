package dev.keel.composition;

import static dev.keel.composition.Shop.CUSTOMER_JSON;
import static dev.keel.composition.Shop.ORDER;
import static dev.keel.composition.Shop.ORDER_JSON;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.keel.composition.Shop.Customer;
import dev.keel.composition.Shop.Order;
import dev.keel.composition.Shop.Payment;
import dev.keel.core.ManualClock;
import dev.keel.core.json.JsonCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one shape of every composed response, as JSON written by keel-core's codec. */
class ResponseShapeTest {

    private final JsonCodec codec = JsonCodec.tolerant();
    private final ManualClock clock = ManualClock.at("2026-11-23T10:00:00Z");
    private final TestServer services = TestServer.start()
            .answer("/orders/o-1", 200, ORDER_JSON)
            .answer("/customers/c-7", 200, CUSTOMER_JSON)
            .answer("/payments/by-order/o-1", 504, "");
    private final Composer composer = Composer.builder().clock(clock).build();
    private final Downstream orders = composer.downstream("order", services.uri());
    private final Downstream customers = composer.downstream("customer", services.uri());
    private final Downstream payments = composer.downstream("payment", services.uri());

    @AfterEach
    void stop() {
        composer.close();
        services.close();
    }

    record OrderDetails(Order order, Optional<Customer> customer, Optional<Payment> payment) {
    }

    @Test
    void every_part_is_listed_with_its_status_and_only_parts_with_a_value_are_in_the_data() {
        Request<Customer> customerRequest = Request.get(customers, "/customers/c-7").json(Customer.class)
                .fallback(Fallback.lastGood(Duration.ofHours(1)));
        Composition warmUp = composer.composition(CallContext.newFlow(), Duration.ofSeconds(10));
        warmUp.part("customer", customerRequest);
        warmUp.run();
        services.answer("/customers/c-7", 503, "");
        clock.advance(Duration.ofSeconds(42));

        Composition composition = composer.composition(CallContext.newFlow(), Duration.ofSeconds(10));
        composition.part("order", Request.get(orders, "/orders/o-1").json(Order.class));
        composition.part("customer", customerRequest);
        composition.part("payment", Request.get(payments, "/payments/by-order/o-1").json(Payment.class));
        composition.part("discount", Request.get(payments, "/discounts/o-1").json(Payment.class)
                .fallback(Fallback.value(new Payment("o-1", "NONE"))));
        Composed result = composition.run();

        assertThat(codec.readTree(codec.toJson(result.response()))).isEqualTo(codec.readTree("""
                {"data": {"order": %s,
                          "customer": %s},
                 "parts": {"order":    {"status": "complete"},
                           "customer": {"status": "stale", "reason": "error_status", "httpStatus": 503, "ageMs": 42000,
                                        "detail": "customer answered GET /customers/c-7 with HTTP 503"},
                           "payment":  {"status": "missing", "reason": "error_status", "httpStatus": 504,
                                        "detail": "payment answered GET /payments/by-order/o-1 with HTTP 504"},
                           "discount": {"status": "missing", "reason": "not_found", "httpStatus": 404,
                                        "detail": "payment answered GET /discounts/o-1 with HTTP 404"}},
                 "complete": false}
                """.formatted(ORDER_JSON, CUSTOMER_JSON)));
    }

    @Test
    void a_default_value_is_in_the_data_and_flagged_in_the_parts() {
        Composition composition = composer.composition(CallContext.newFlow(), Duration.ofSeconds(10));
        composition.part("payment", Request.get(payments, "/payments/by-order/o-1").json(Payment.class)
                .fallback(Fallback.value(new Payment("o-1", "UNKNOWN"))));

        String json = codec.toJson(composition.run().response());

        assertThat(codec.readTree(json)).isEqualTo(codec.readTree("""
                {"data": {"payment": {"orderId": "o-1", "state": "UNKNOWN"}},
                 "parts": {"payment": {"status": "default", "reason": "error_status", "httpStatus": 504,
                                       "detail": "payment answered GET /payments/by-order/o-1 with HTTP 504"}},
                 "complete": false}
                """));
    }

    @Test
    void a_typed_response_carries_the_same_parts_and_complete_flag() {
        Composition composition = composer.composition(CallContext.newFlow(), Duration.ofSeconds(10));
        Part<Order> order = composition.part("order", Request.get(orders, "/orders/o-1").json(Order.class));
        Part<Customer> customer = composition.part("customer", order,
                o -> Request.get(customers, "/customers/{}", o.customerId()).json(Customer.class));
        Part<Payment> payment = composition.part("payment", Request.get(payments, "/payments/by-order/o-1").json(Payment.class));
        Composed result = composition.run();

        ComposedResponse<OrderDetails> response = result.response(
                new OrderDetails(result.get(order), result.value(customer), result.value(payment)));

        assertThat(codec.readTree(codec.toJson(response))).isEqualTo(codec.readTree("""
                {"data": {"order": %s, "customer": %s},
                 "parts": {"order":    {"status": "complete"},
                           "customer": {"status": "complete"},
                           "payment":  {"status": "missing", "reason": "error_status", "httpStatus": 504,
                                        "detail": "payment answered GET /payments/by-order/o-1 with HTTP 504"}},
                 "complete": false}
                """.formatted(ORDER_JSON, CUSTOMER_JSON)));
        assertThat(response.data().order()).isEqualTo(ORDER);
    }

    @Test
    void a_response_in_which_every_part_is_complete_says_so() {
        Composition composition = composer.composition(CallContext.newFlow(), Duration.ofSeconds(10));
        composition.part("order", Request.get(orders, "/orders/o-1").json(Order.class));

        ComposedResponse<Map<String, Object>> response = composition.run().response();

        assertThat(response.complete()).isTrue();
        assertThat(codec.readTree(codec.toJson(response))).isEqualTo(codec.readTree("""
                {"data": {"order": %s}, "parts": {"order": {"status": "complete"}}, "complete": true}
                """.formatted(ORDER_JSON)));
    }

    @Test
    void a_composed_response_reads_back_from_its_json() {
        Composition composition = composer.composition(CallContext.newFlow(), Duration.ofSeconds(10));
        composition.part("order", Request.get(orders, "/orders/o-1").json(Order.class));
        composition.part("payment", Request.get(payments, "/payments/by-order/o-1").json(Payment.class));
        ComposedResponse<Map<String, Object>> response = composition.run().response();

        ComposedResponse<?> back = codec.fromJson(codec.toJson(response), ComposedResponse.class);

        assertThat(back.parts()).isEqualTo(response.parts());
        assertThat(back.complete()).isFalse();
    }
}
