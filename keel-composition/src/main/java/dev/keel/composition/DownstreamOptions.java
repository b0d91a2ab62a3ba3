package dev.keel.composition;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

/**
 * How Keel calls one downstream service. Start from {@link #defaults()} and change what differs:
 *
 * <pre>{@code
 * DownstreamOptions.defaults()
 *         .callTimeout(Duration.ofMillis(300))
 *         .retry(RetryPolicy.attempts(3))
 *         .bulkhead(BulkheadPolicy.of(32))
 *         .cache(CachePolicy.ttl(Duration.ofSeconds(5)))
 * }</pre>
 *
 * @param callTimeout      how long one attempt may take, headers and body (a composition's deadline may cut it shorter)
 * @param circuitBreaker   the Resilience4j circuit breaker configuration; calls that fail count against
 *                         it (timeouts, connection failures, 5xx, 408, 429), answers like 404 do not
 * @param retry            retries of GETs after transient failures; none by default
 * @param bulkhead         a limit on concurrent calls; none by default
 * @param cache            a short-TTL cache of GET answers; none by default
 * @param lastGoodEntries  how many last good answers are kept for {@link Fallback#lastGood(Duration)}
 */
public record DownstreamOptions(Duration callTimeout, CircuitBreakerConfig circuitBreaker, Optional<RetryPolicy> retry,
                                Optional<BulkheadPolicy> bulkhead, Optional<CachePolicy> cache, int lastGoodEntries) {

    private static final CircuitBreakerConfig DEFAULT_CIRCUIT_BREAKER = CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(20)
            .minimumNumberOfCalls(10)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(5))
            .permittedNumberOfCallsInHalfOpenState(3)
            .automaticTransitionFromOpenToHalfOpenEnabled(false)
            .build();

    public DownstreamOptions {
        Objects.requireNonNull(callTimeout, "callTimeout");
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("a call timeout must be positive, got " + callTimeout);
        }
        Objects.requireNonNull(circuitBreaker, "circuitBreaker");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(bulkhead, "bulkhead");
        Objects.requireNonNull(cache, "cache");
        if (lastGoodEntries < 1) {
            throw new IllegalArgumentException("keep at least one last good answer, got " + lastGoodEntries);
        }
    }

    /**
     * A 1 s call timeout; a circuit breaker that opens when half of the last 20 calls (at least 10)
     * failed and lets 3 trial calls through after 5 s; no retry, bulkhead or cache; 10,000 last good answers.
     */
    public static DownstreamOptions defaults() {
        return new DownstreamOptions(Duration.ofSeconds(1), DEFAULT_CIRCUIT_BREAKER, Optional.empty(), Optional.empty(),
                Optional.empty(), 10_000);
    }

    public DownstreamOptions callTimeout(Duration timeout) {
        return new DownstreamOptions(timeout, circuitBreaker, retry, bulkhead, cache, lastGoodEntries);
    }

    public DownstreamOptions circuitBreaker(CircuitBreakerConfig config) {
        return new DownstreamOptions(callTimeout, config, retry, bulkhead, cache, lastGoodEntries);
    }

    public DownstreamOptions retry(RetryPolicy policy) {
        return new DownstreamOptions(callTimeout, circuitBreaker, Optional.of(policy), bulkhead, cache, lastGoodEntries);
    }

    public DownstreamOptions bulkhead(BulkheadPolicy policy) {
        return new DownstreamOptions(callTimeout, circuitBreaker, retry, Optional.of(policy), cache, lastGoodEntries);
    }

    public DownstreamOptions cache(CachePolicy policy) {
        return new DownstreamOptions(callTimeout, circuitBreaker, retry, bulkhead, Optional.of(policy), lastGoodEntries);
    }

    public DownstreamOptions lastGoodEntries(int entries) {
        return new DownstreamOptions(callTimeout, circuitBreaker, retry, bulkhead, cache, entries);
    }
}
