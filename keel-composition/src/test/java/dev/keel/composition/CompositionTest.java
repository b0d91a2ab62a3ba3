package dev.keel.composition;

import static dev.keel.composition.Shop.CUSTOMER;
import static dev.keel.composition.Shop.CUSTOMER_JSON;
import static dev.keel.composition.Shop.ORDER;
import static dev.keel.composition.Shop.ORDER_JSON;
import static dev.keel.composition.Shop.PAYMENT;
import static dev.keel.composition.Shop.PAYMENT_JSON;
import static dev.keel.composition.Shop.PRODUCT_1_JSON;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.keel.composition.Shop.Customer;
import dev.keel.composition.Shop.Order;
import dev.keel.composition.Shop.Payment;
import dev.keel.composition.Shop.Product;
import dev.keel.core.CorrelationId;
import dev.keel.core.TraceParent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CompositionTest {

    private static final Duration GENEROUS = Duration.ofSeconds(10);

    private final TestServer orderService = TestServer.start().answer("/orders/o-1", 200, ORDER_JSON);
    private final TestServer customerService = TestServer.start().answer("/customers/c-7", 200, CUSTOMER_JSON);
    private final TestServer paymentService = TestServer.start().answer("/payments/by-order/o-1", 200, PAYMENT_JSON);
    private final Composer composer = Composer.builder().build();
    private final Downstream orders = composer.downstream("order", orderService.uri());
    private final Downstream customers = composer.downstream("customer", customerService.uri());
    // patient: the deadline, not the call timeout, ends a slow payment call in these tests
    private final Downstream payments = composer.downstream("payment", paymentService.uri(),
            DownstreamOptions.defaults().callTimeout(Duration.ofSeconds(30)));

    @AfterEach
    void stop() {
        composer.close();
        List.of(orderService, customerService, paymentService).forEach(TestServer::close);
    }

    private Composition composition(Duration deadline) {
        return composer.composition(CallContext.newFlow(), deadline);
    }

    @Test
    void runs_independent_parts_in_parallel() {
        // each downstream answers only once the other one has been called too: in sequence, the first
        // would hold its answer back for 30 s, far past the deadline
        CountDownLatch bothCalled = new CountDownLatch(2);
        orderService.answer("/orders/o-1", request -> {
            bothCalled.countDown();
            bothCalled.await(30, TimeUnit.SECONDS);
            return TestServer.Answer.json(ORDER_JSON);
        });
        paymentService.answer("/payments/by-order/o-1", request -> {
            bothCalled.countDown();
            bothCalled.await(30, TimeUnit.SECONDS);
            return TestServer.Answer.json(PAYMENT_JSON);
        });
        Composition composition = composition(GENEROUS);
        Part<Order> order = composition.part("order", Request.get(orders, "/orders/o-1").json(Order.class));
        Part<Payment> payment = composition.part("payment", Request.get(payments, "/payments/by-order/o-1").json(Payment.class));

        Composed result = composition.run();

        assertThat(result.result(order)).isEqualTo(new PartResult.Complete<>(ORDER));
        assertThat(result.result(payment)).isEqualTo(new PartResult.Complete<>(PAYMENT));
        assertThat(result.isComplete()).isTrue();
    }

    @Test
    void builds_a_dependent_call_from_the_value_of_the_part_it_needs() {
        Composition composition = composition(GENEROUS);
        Part<Order> order = composition.part("order", Request.get(orders, "/orders/{}", "o-1").json(Order.class));
        Part<Customer> customer = composition.part("customer", order,
                o -> Request.get(customers, "/customers/{}", o.customerId()).json(Customer.class));

        Composed result = composition.run();

        assertThat(result.get(customer)).isEqualTo(CUSTOMER);
        assertThat(customerService.received()).extracting(TestServer.Received::path).containsExactly("/customers/c-7");
    }

    @Test
    void builds_a_call_from_the_values_of_two_parts() {
        customerService.answer("/customers/c-7/orders/o-1/payment-state?payment=CHARGED", 200, "\"settled\"");
        Composition composition = composition(GENEROUS);
        Part<Order> order = composition.part("order", Request.get(orders, "/orders/o-1").json(Order.class));
        Part<Payment> payment = composition.part("payment", Request.get(payments, "/payments/by-order/o-1").json(Payment.class));
        Part<String> summary = composition.part("summary", order, payment,
                (o, p) -> Request.get(customers, "/customers/{}/orders/{}/payment-state", o.customerId(), o.id())
                        .query("payment", p.state()).json(String.class));

        assertThat(composition.run().get(summary)).isEqualTo("settled");
    }

    @Test
    void a_part_that_depends_on_a_missing_part_is_missing_too_and_makes_no_call() {
        orderService.answer("/orders/o-1", 503, "");
        Composition composition = composition(GENEROUS);
        Part<Order> order = composition.part("order", Request.get(orders, "/orders/o-1").json(Order.class));
        Part<Customer> customer = composition.part("customer", order,
                o -> Request.get(customers, "/customers/{}", o.customerId()).json(Customer.class));

        Composed result = composition.run();

        assertThat(result.result(customer)).isInstanceOfSatisfying(PartResult.Missing.class, missing -> {
            assertThat(missing.failure().reason()).isEqualTo(Reason.DEPENDENCY_MISSING);
            assertThat(missing.failure().detail()).isEqualTo("needs part 'order', which is missing (error_status)");
        });
        assertThat(customerService.received()).isEmpty();
    }

    @Test
    void a_list_part_holds_the_values_of_all_its_calls_in_order() {
        TestServer productService = TestServer.start()
                .answer("/products/p-1", 200, PRODUCT_1_JSON)
                .answer("/products/p-2", 200, Shop.PRODUCT_2_JSON);
        try (productService) {
            Downstream products = composer.downstream("product", productService.uri());
            Composition composition = composition(GENEROUS);
            Part<Order> order = composition.part("order", Request.get(orders, "/orders/o-1").json(Order.class));
            Part<List<Product>> lines = composition.parts("products", order, o -> o.lines().stream()
                    .map(line -> Request.get(products, "/products/{}", line.productId()).json(Product.class)).toList());

            assertThat(composition.run().get(lines)).containsExactly(Shop.PRODUCT_1, Shop.PRODUCT_2);
        }
    }

    @Test
    void a_list_part_with_one_call_missing_is_missing_as_a_whole() {
        TestServer productService = TestServer.start().answer("/products/p-1", 200, PRODUCT_1_JSON)
                .answer("/products/p-2", 500, "");
        try (productService) {
            Downstream products = composer.downstream("product", productService.uri());
            Composition composition = composition(GENEROUS);
            Part<List<Product>> lines = composition.parts("products", List.of(
                    Request.get(products, "/products/p-1").json(Product.class),
                    Request.get(products, "/products/p-2").json(Product.class)));

            PartResult<List<Product>> result = composition.run().result(lines);

            assertThat(result.value()).isEmpty();
            assertThat(result.status().reason()).contains("error_status");
            assertThat(result.status().detail())
                    .contains("1 of 2 calls have no value; the first: product answered GET /products/p-2 with HTTP 500");
        }
    }

    @Test
    void an_error_status_is_reported_with_the_status() {
        paymentService.answer("/payments/by-order/o-1", 500, "{}");
        Composition composition = composition(GENEROUS);
        Part<Payment> payment = composition.part("payment", Request.get(payments, "/payments/by-order/o-1").json(Payment.class));

        PartStatus status = composition.run().result(payment).status();

        assertThat(status.status()).isEqualTo("missing");
        assertThat(status.reason()).contains("error_status");
        assertThat(status.httpStatus()).hasValue(500);
    }

    @Test
    void a_404_is_reported_as_not_found() {
        Composition composition = composition(GENEROUS);
        Part<Payment> payment = composition.part("payment", Request.get(payments, "/payments/by-order/o-2").json(Payment.class));

        PartStatus status = composition.run().result(payment).status();

        assertThat(status.reason()).contains("not_found");
        assertThat(status.httpStatus()).hasValue(404);
    }

    @Test
    void a_404_of_a_json_or_empty_request_is_a_complete_empty_value() {
        Composition composition = composition(GENEROUS);
        Part<java.util.Optional<Payment>> payment = composition.part("payment",
                Request.get(payments, "/payments/by-order/o-2").jsonOrEmpty(Payment.class));

        Composed result = composition.run();

        assertThat(result.result(payment)).isEqualTo(new PartResult.Complete<>(java.util.Optional.empty()));
        assertThat(result.response().data()).doesNotContainKey("payment");
        assertThat(result.response().parts().get("payment").status()).isEqualTo("complete");
    }

    @Test
    void a_downstream_that_refuses_connections_is_reported_as_connection_refused() throws IOException {
        URI nobodyListens;
        try (ServerSocket closedSoon = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobodyListens = URI.create("http://127.0.0.1:" + closedSoon.getLocalPort());
        }
        Downstream gone = composer.downstream("gone", nobodyListens);
        Composition composition = composition(GENEROUS);
        Part<Payment> payment = composition.part("payment", Request.get(gone, "/payments/p").json(Payment.class));

        PartStatus status = composition.run().result(payment).status();

        assertThat(status.reason()).contains("connection_refused");
        assertThat(status.detail()).contains("gone refused the connection for GET /payments/p");
    }

    @Test
    void an_answer_that_cannot_be_decoded_is_reported_as_a_decode_error() {
        paymentService.answer("/payments/by-order/o-1", 200, "{\"orderId\": [1, 2]}");
        Composition composition = composition(GENEROUS);
        Part<Payment> payment = composition.part("payment", Request.get(payments, "/payments/by-order/o-1").json(Payment.class));

        PartStatus status = composition.run().result(payment).status();

        assertThat(status.reason()).contains("decode_error");
        assertThat(status.detail().orElseThrow()).startsWith("the answer of payment to GET /payments/by-order/o-1 could not be decoded");
    }

    @Test
    void a_decoder_that_returns_nothing_makes_its_part_missing_with_a_decode_error() {
        Composition composition = composition(GENEROUS);
        Part<Payment> payment = composition.part("payment", Request.get(payments, "/payments/by-order/o-1")
                .decode(body -> null));

        PartStatus status = composition.run().result(payment).status();

        assertThat(status.reason()).contains("decode_error");
        assertThat(status.detail()).contains(
                "the answer of payment to GET /payments/by-order/o-1 could not be decoded: the decoder returned null");
    }

    @Test
    void a_request_function_that_throws_makes_its_part_missing_with_a_request_error() {
        Composition composition = composition(GENEROUS);
        Part<Order> order = composition.part("order", Request.get(orders, "/orders/o-1").json(Order.class));
        Part<Customer> customer = composition.part("customer", order, o -> {
            throw new IllegalStateException("order " + o.id() + " has no customer");
        });

        PartStatus status = composition.run().result(customer).status();

        assertThat(status.reason()).contains("request_error");
        assertThat(status.detail()).contains("building the request failed: order o-1 has no customer");
    }

    @Test
    void a_downstream_slower_than_the_deadline_is_missing_while_it_is_still_working_on_the_answer() {
        CountDownLatch gate = paymentService.gate();
        paymentService.answerAfter(gate, "/payments/by-order/o-1", 200, PAYMENT_JSON);
        Composition composition = composition(Duration.ofSeconds(2));
        Part<Order> order = composition.part("order", Request.get(orders, "/orders/o-1").json(Order.class));
        Part<Payment> payment = composition.part("payment", Request.get(payments, "/payments/by-order/o-1").json(Payment.class));

        Composed result = composition.run();

        // the payment service is still holding its answer back: the composition did not wait for it
        assertThat(paymentService.inFlight()).isEqualTo(1);
        gate.countDown();
        assertThat(result.get(order)).isEqualTo(ORDER);
        assertThat(result.result(payment)).isInstanceOfSatisfying(PartResult.Missing.class, missing -> {
            assertThat(missing.failure().reason()).isEqualTo(Reason.DEADLINE);
            assertThat(missing.failure().detail()).isEqualTo(
                    "the composition's deadline of 2000 ms passed before payment answered GET /payments/by-order/o-1");
        });
        assertThat(result.isComplete()).isFalse();
    }

    @Test
    void a_call_slower_than_its_call_timeout_is_missing_with_reason_timeout() {
        Downstream slowPayments = composer.downstream("slow-payment", paymentService.uri(),
                DownstreamOptions.defaults().callTimeout(Duration.ofMillis(200)));
        CountDownLatch gate = paymentService.gate();
        paymentService.answerAfter(gate, "/payments/by-order/o-1", 200, PAYMENT_JSON);
        Composition composition = composition(GENEROUS);
        Part<Payment> payment = composition.part("payment", Request.get(slowPayments, "/payments/by-order/o-1").json(Payment.class));

        Composed result = composition.run();

        assertThat(paymentService.inFlight()).isEqualTo(1);
        gate.countDown();
        assertThat(result.result(payment).status().reason()).contains("timeout");
        assertThat(result.result(payment).status().detail())
                .contains("slow-payment did not answer GET /payments/by-order/o-1 within its call timeout of 200 ms");
    }

    @Test
    void a_part_still_waiting_for_its_dependency_at_the_deadline_is_missing_with_reason_deadline() {
        CountDownLatch gate = orderService.gate();
        orderService.answerAfter(gate, "/orders/o-1", 200, ORDER_JSON);
        Composition composition = composition(Duration.ofMillis(500));
        Part<Order> order = composition.part("order", Request.get(orders, "/orders/o-1").json(Order.class));
        Part<Customer> customer = composition.part("customer", order,
                o -> Request.get(customers, "/customers/{}", o.customerId()).json(Customer.class));

        Composed result = composition.run();
        gate.countDown();

        assertThat(result.result(customer).status().reason()).contains("deadline");
        assertThat(result.result(customer).status().detail())
                .contains("the composition's deadline of 500 ms passed before this part was complete");
        assertThat(customerService.received()).isEmpty();
    }

    @Test
    void every_call_carries_the_correlation_id_and_continues_the_trace() {
        TraceParent trace = TraceParent.newRoot();
        Composition composition = composer.composition(CallContext.of(new CorrelationId("corr-1"), trace), GENEROUS);
        Part<Order> order = composition.part("order", Request.get(orders, "/orders/o-1").json(Order.class));
        composition.part("customer", order, o -> Request.get(customers, "/customers/{}", o.customerId()).json(Customer.class));
        composition.part("payment", Request.get(payments, "/payments/by-order/o-1").json(Payment.class));

        composition.run();

        List<TestServer.Received> calls = List.of(orderService.received().getFirst(), customerService.received().getFirst(),
                paymentService.received().getFirst());
        assertThat(calls).allSatisfy(call -> {
            assertThat(call.header("X-Correlation-Id")).isEqualTo("corr-1");
            TraceParent sent = TraceParent.parse(call.header("traceparent"));
            assertThat(sent.traceId()).isEqualTo(trace.traceId());
            assertThat(sent.spanId()).isNotEqualTo(trace.spanId());
        });
        assertThat(calls).extracting(call -> call.header("traceparent")).doesNotHaveDuplicates();
    }

    @Test
    void a_call_context_is_read_from_incoming_headers() {
        TraceParent trace = TraceParent.newRoot();

        CallContext context = CallContext.fromHeaders(java.util.Optional.of("abc-123"), java.util.Optional.of(trace.header()));
        CallContext fresh = CallContext.fromHeaders(java.util.Optional.empty(), java.util.Optional.of("garbage"));

        assertThat(context).isEqualTo(CallContext.of(new CorrelationId("abc-123"), trace));
        assertThat(fresh.correlationId().value()).isNotBlank();
        assertThat(fresh.traceParent()).isNotNull();
    }

    @Test
    void a_post_sends_its_body_as_json() {
        paymentService.answer("/payments/lookup", request -> TestServer.Answer.json("[" + PAYMENT_JSON + "]"));
        Composition composition = composition(GENEROUS);
        Part<List<Payment>> found = composition.part("payments",
                Request.post(payments, "/payments/lookup").body(List.of("o-1")).jsonList(Payment.class));

        assertThat(composition.run().get(found)).containsExactly(PAYMENT);
        TestServer.Received received = paymentService.received("/payments/lookup").getFirst();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.body()).isEqualTo("[\"o-1\"]");
        assertThat(received.header("Content-Type")).isEqualTo("application/json");
    }
}
