package dev.keel.composition;

import static dev.keel.composition.Shop.ORDER_JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.keel.composition.Shop.Order;
import dev.keel.composition.Shop.Payment;
import dev.keel.composition.Shop.Shipment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Calls the composition no longer waits for are cancelled: the downstream sees its connection closed
 * while it is still working on the answer, so no thread, connection or downstream work is left behind.
 */
class CancellationTest {

    private final SilentServer silent = SilentServer.start();
    private final TestServer orderService = TestServer.start().answer("/orders/o-1", 200, ORDER_JSON);
    private final Composer composer = Composer.builder().build();
    private final Downstream orders = composer.downstream("order", orderService.uri());

    @AfterEach
    void stop() {
        composer.close();
        orderService.close();
        silent.close();
    }

    @Test
    void a_call_still_under_way_at_the_deadline_is_cancelled_and_its_connection_closed() {
        Downstream payments = composer.downstream("payment", silent.uri());
        Composition composition = composer.composition(CallContext.newFlow(), Duration.ofMillis(300));
        Part<Payment> payment = composition.part("payment", Request.get(payments, "/payments/by-order/o-1").json(Payment.class));

        Composed result = composition.run();

        assertThat(result.result(payment).status().reason()).contains("deadline");
        await().atMost(Duration.ofSeconds(10)).until(() -> silent.closedByClient() == 1);
        assertThat(silent.requestLines()).containsExactly("GET /payments/by-order/o-1 HTTP/1.1");
    }

    @Test
    void a_call_slower_than_its_call_timeout_is_cancelled_and_its_connection_closed() {
        Downstream payments = composer.downstream("payment", silent.uri(),
                DownstreamOptions.defaults().callTimeout(Duration.ofMillis(200)));
        Composition composition = composer.composition(CallContext.newFlow(), Duration.ofSeconds(10));
        Part<Payment> payment = composition.part("payment", Request.get(payments, "/payments/by-order/o-1").json(Payment.class));

        Composed result = composition.run();

        assertThat(result.result(payment).status().reason()).contains("timeout");
        await().atMost(Duration.ofSeconds(10)).until(() -> silent.closedByClient() == 1);
    }

    @Test
    void when_a_required_part_fails_the_calls_still_under_way_are_cancelled() {
        CountDownLatch bothUnderWay = new CountDownLatch(2);
        silent.onRequest(bothUnderWay::countDown);
        // the order does not exist, and the order service says so once both other calls are under way
        orderService.answer("/orders/o-9", request -> {
            bothUnderWay.await(10, TimeUnit.SECONDS);
            return new TestServer.Answer(404, "");
        });
        Downstream payments = composer.downstream("payment", silent.uri());
        Downstream shipments = composer.downstream("shipping", silent.uri());
        Composition composition = composer.composition(CallContext.newFlow(), Duration.ofSeconds(30));
        composition.part("payment", Request.get(payments, "/payments/by-order/o-9").json(Payment.class));
        composition.part("shipment", Request.get(shipments, "/shipments/by-order/o-9").json(Shipment.class));
        composition.part("order", Request.get(orders, "/orders/o-9").json(Order.class)).required();

        assertThatThrownBy(composition::run)
                .isInstanceOfSatisfying(RequiredPartFailedException.class, failed -> {
                    assertThat(failed.part()).isEqualTo("order");
                    assertThat(failed.failure().reason()).isEqualTo(Reason.NOT_FOUND);
                    assertThat(failed.isTransient()).isFalse();
                });
        assertThat(silent.requestLines()).containsExactlyInAnyOrder(
                "GET /payments/by-order/o-9 HTTP/1.1", "GET /shipments/by-order/o-9 HTTP/1.1");
        await().atMost(Duration.ofSeconds(10)).until(() -> silent.closedByClient() == 2);
    }

    @Test
    void a_required_part_that_cannot_answer_in_time_fails_the_composition_as_transient() {
        Downstream payments = composer.downstream("payment", silent.uri());
        Composition composition = composer.composition(CallContext.newFlow(), Duration.ofMillis(300));
        composition.part("order", Request.get(orders, "/orders/o-1").json(Order.class));
        composition.part("payment", Request.get(payments, "/payments/by-order/o-1").json(Payment.class)).required();

        assertThatThrownBy(composition::run)
                .isInstanceOfSatisfying(RequiredPartUnavailableException.class, failed -> {
                    assertThat(failed.part()).isEqualTo("payment");
                    assertThat(failed.failure().reason()).isEqualTo(Reason.DEADLINE);
                    assertThat(failed.isTransient()).isTrue();
                });
        await().atMost(Duration.ofSeconds(10)).until(() -> silent.closedByClient() == 1);
    }
}
