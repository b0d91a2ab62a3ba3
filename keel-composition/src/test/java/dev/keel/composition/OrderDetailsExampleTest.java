package dev.keel.composition;

import static dev.keel.composition.Shop.CUSTOMER;
import static dev.keel.composition.Shop.CUSTOMER_JSON;
import static dev.keel.composition.Shop.ORDER;
import static dev.keel.composition.Shop.ORDER_JSON;
import static dev.keel.composition.Shop.PAYMENT_JSON;
import static dev.keel.composition.Shop.PRODUCT_1;
import static dev.keel.composition.Shop.PRODUCT_1_JSON;
import static dev.keel.composition.Shop.PRODUCT_2;
import static dev.keel.composition.Shop.PRODUCT_2_JSON;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.keel.composition.Shop.Customer;
import dev.keel.composition.Shop.Order;
import dev.keel.composition.Shop.Payment;
import dev.keel.composition.Shop.Product;
import dev.keel.composition.Shop.Shipment;
import dev.keel.core.CorrelationId;
import dev.keel.core.TraceParent;
import dev.keel.core.json.JsonCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Shop's order details, composed from five services: the example of the README. */
class OrderDetailsExampleTest {

    private final TestServer orderService = TestServer.start()
            .answer("/orders/o-1", 200, ORDER_JSON);
    private final TestServer customerService = TestServer.start()
            .answer("/customers/c-7", 200, CUSTOMER_JSON);
    private final TestServer productService = TestServer.start()
            .answer("/products/p-1", 200, PRODUCT_1_JSON)
            .answer("/products/p-2", 200, PRODUCT_2_JSON);
    private final TestServer paymentService = TestServer.start()
            .answer("/payments/by-order/o-1", 503, "");
    private final TestServer shippingService = TestServer.start();
    private final Composer composer = Composer.builder().build();

    @AfterEach
    void stop() {
        composer.close();
        List.of(orderService, customerService, productService, paymentService, shippingService).forEach(TestServer::close);
    }

    @Test
    void composes_an_orders_details_and_says_which_parts_are_missing() {
        // once, at start-up
        Downstream orders = composer.downstream("order", orderService.uri());
        Downstream customers = composer.downstream("customer", customerService.uri());
        Downstream products = composer.downstream("product", productService.uri(),
                DownstreamOptions.defaults().cache(CachePolicy.ttl(Duration.ofSeconds(5))));
        Downstream payments = composer.downstream("payment", paymentService.uri(),
                DownstreamOptions.defaults().callTimeout(Duration.ofMillis(500)).retry(RetryPolicy.attempts(2)));
        Downstream shipments = composer.downstream("shipping", shippingService.uri());

        // per request: GET /api/orders/o-1/details
        CallContext flow = CallContext.of(new CorrelationId("req-42"), TraceParent.newRoot());
        Composition details = composer.composition(flow, Duration.ofSeconds(2));
        Part<Order> order = details.part("order",
                Request.get(orders, "/orders/{}", "o-1").json(Order.class)).required();
        Part<Customer> customer = details.part("customer", order,
                o -> Request.get(customers, "/customers/{}", o.customerId()).json(Customer.class));
        Part<List<Product>> lines = details.parts("products", order, o -> o.lines().stream()
                .map(line -> Request.get(products, "/products/{}", line.productId()).json(Product.class))
                .toList());
        Part<Payment> payment = details.part("payment",
                Request.get(payments, "/payments/by-order/{}", "o-1").json(Payment.class));
        Part<Optional<Shipment>> shipment = details.part("shipment",
                Request.get(shipments, "/shipments/by-order/{}", "o-1").jsonOrEmpty(Shipment.class));
        Composed result = details.run();

        assertThat(result.get(order)).isEqualTo(ORDER);
        assertThat(result.value(customer)).contains(CUSTOMER);
        assertThat(result.get(lines)).containsExactly(PRODUCT_1, PRODUCT_2);
        assertThat(result.result(payment)).isInstanceOf(PartResult.Missing.class);
        assertThat(result.get(shipment)).isEmpty();   // 404: known not to exist yet, so complete
        assertThat(result.isComplete()).isFalse();

        String json = JsonCodec.tolerant().toJson(result.response());
        assertThat(JsonCodec.tolerant().readTree(json)).isEqualTo(JsonCodec.tolerant().readTree("""
                {"data": {"order": %s,
                          "customer": %s,
                          "products": [%s, %s]},
                 "parts": {"order":    {"status": "complete"},
                           "customer": {"status": "complete"},
                           "products": {"status": "complete"},
                           "payment":  {"status": "missing", "reason": "error_status", "httpStatus": 503,
                                        "detail": "payment answered GET /payments/by-order/o-1 with HTTP 503"},
                           "shipment": {"status": "complete"}},
                 "complete": false}
                """.formatted(ORDER_JSON, CUSTOMER_JSON, PRODUCT_1_JSON, PRODUCT_2_JSON)));
        assertThat(paymentService.received()).as("a GET that got 503 is tried twice").hasSize(2);
        assertThat(customerService.received().getFirst().header("X-Correlation-Id")).isEqualTo("req-42");
    }
}
