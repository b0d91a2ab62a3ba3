package dev.keel.composition;

import static dev.keel.composition.Shop.PAYMENT;
import static dev.keel.composition.Shop.PAYMENT_JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keel.composition.Shop.Payment;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Circuit breaker, retries and bulkhead of a downstream. */
class ResilienceTest {

    private static final String PATH = "/payments/by-order/o-1";

    private final TestServer paymentService = TestServer.start();
    private final Composer composer = Composer.builder().build();
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        background.shutdownNow();
        composer.close();
        paymentService.close();
    }

    private PartResult<Payment> fetch(Request<Payment> request) {
        Composition composition = composer.composition(CallContext.newFlow(), Duration.ofSeconds(10));
        Part<Payment> payment = composition.part("payment", request);
        return composition.run().result(payment);
    }

    private static CircuitBreakerConfig opensAfterTwoFailures() {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(2).minimumNumberOfCalls(2).failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMinutes(10))
                .build();
    }

    @Test
    void an_open_circuit_fails_fast_without_calling_the_downstream() {
        paymentService.answer(PATH, 503, "");
        Downstream payments = composer.downstream("payment", paymentService.uri(),
                DownstreamOptions.defaults().circuitBreaker(opensAfterTwoFailures()));
        fetch(Request.get(payments, PATH).json(Payment.class));
        fetch(Request.get(payments, PATH).json(Payment.class));
        assertThat(payments.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);

        PartResult<Payment> result = fetch(Request.get(payments, PATH).json(Payment.class));

        assertThat(result.status().reason()).contains("circuit_open");
        assertThat(result.status().detail()).contains("the circuit breaker of payment is open; the call was not made");
        assertThat(paymentService.received()).hasSize(2);
    }

    @Test
    void answers_such_as_404_do_not_open_the_circuit() {
        Downstream payments = composer.downstream("payment", paymentService.uri(),
                DownstreamOptions.defaults().circuitBreaker(opensAfterTwoFailures()));

        for (int i = 0; i < 3; i++) {
            assertThat(fetch(Request.get(payments, "/payments/unknown").json(Payment.class)).status().reason()).contains("not_found");
        }

        assertThat(payments.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(paymentService.received()).hasSize(3);
    }

    @Test
    void a_get_is_retried_after_transient_failures_until_it_succeeds() {
        AtomicInteger calls = new AtomicInteger();
        paymentService.answer(PATH, request -> calls.incrementAndGet() < 3
                ? new TestServer.Answer(503, "") : TestServer.Answer.json(PAYMENT_JSON));
        Downstream payments = composer.downstream("payment", paymentService.uri(),
                DownstreamOptions.defaults().retry(RetryPolicy.attempts(3).backoff(Duration.ofMillis(1), 1)));

        PartResult<Payment> result = fetch(Request.get(payments, PATH).json(Payment.class));

        assertThat(result).isEqualTo(new PartResult.Complete<>(PAYMENT));
        assertThat(paymentService.received()).hasSize(3);
    }

    @Test
    void a_get_is_tried_at_most_max_attempts_times() {
        paymentService.answer(PATH, 503, "");
        Downstream payments = composer.downstream("payment", paymentService.uri(),
                DownstreamOptions.defaults().retry(RetryPolicy.attempts(3).backoff(Duration.ofMillis(1), 1)));

        PartResult<Payment> result = fetch(Request.get(payments, PATH).json(Payment.class));

        assertThat(result.status().httpStatus()).hasValue(503);
        assertThat(paymentService.received()).hasSize(3);
    }

    @Test
    void a_post_is_never_retried() {
        paymentService.answer("/payments/lookup", 503, "");
        Downstream payments = composer.downstream("payment", paymentService.uri(),
                DownstreamOptions.defaults().retry(RetryPolicy.attempts(3).backoff(Duration.ofMillis(1), 1)));

        PartResult<Payment> result = fetch(Request.post(payments, "/payments/lookup").body("o-1").json(Payment.class));

        assertThat(result.status().httpStatus()).hasValue(503);
        assertThat(paymentService.received()).hasSize(1);
    }

    @Test
    void a_definitive_answer_is_not_retried() {
        paymentService.answer(PATH, 400, "{}");
        Downstream payments = composer.downstream("payment", paymentService.uri(),
                DownstreamOptions.defaults().retry(RetryPolicy.attempts(3).backoff(Duration.ofMillis(1), 1)));

        PartResult<Payment> result = fetch(Request.get(payments, PATH).json(Payment.class));
        fetch(Request.get(payments, "/payments/unknown").json(Payment.class));

        assertThat(result.status().httpStatus()).hasValue(400);
        assertThat(paymentService.received()).hasSize(2);
    }

    @Test
    void no_retry_waits_past_the_deadline() {
        paymentService.answer(PATH, 503, "");
        Downstream payments = composer.downstream("payment", paymentService.uri(),
                DownstreamOptions.defaults().retry(RetryPolicy.attempts(5).backoff(Duration.ofMinutes(5), 1)));

        PartResult<Payment> result = fetch(Request.get(payments, PATH).json(Payment.class));

        // the next attempt would start after the deadline: the first answer stands
        assertThat(result.status().reason()).contains("error_status");
        assertThat(paymentService.received()).hasSize(1);
    }

    @Test
    void a_full_bulkhead_refuses_further_calls_without_making_them() throws Exception {
        CountDownLatch gate = paymentService.gate();
        paymentService.answerAfter(gate, PATH, 200, PAYMENT_JSON);
        Downstream payments = composer.downstream("payment", paymentService.uri(),
                DownstreamOptions.defaults().bulkhead(BulkheadPolicy.of(2)));
        CompletableFuture<PartResult<Payment>> first = CompletableFuture.supplyAsync(
                () -> fetch(Request.get(payments, PATH).json(Payment.class)), background);
        CompletableFuture<PartResult<Payment>> second = CompletableFuture.supplyAsync(
                () -> fetch(Request.get(payments, PATH).json(Payment.class)), background);
        await().atMost(Duration.ofSeconds(10)).until(() -> paymentService.inFlight() == 2);

        PartResult<Payment> third = fetch(Request.get(payments, PATH).json(Payment.class));
        gate.countDown();

        assertThat(third.status().reason()).contains("bulkhead_full");
        assertThat(third.status().detail()).contains("payment already has 2 calls in flight (bulkhead full); the call was not made");
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(new PartResult.Complete<>(PAYMENT));
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(new PartResult.Complete<>(PAYMENT));
        assertThat(paymentService.received()).hasSize(2);
    }
}
