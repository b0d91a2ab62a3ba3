package dev.keel.composition;

import java.time.Duration;
import java.util.Objects;

/**
 * How often an idempotent call (a GET) is tried after a transient failure: a timeout, a refused or
 * broken connection, or HTTP 408, 425, 429, 500, 502, 503 or 504. Other methods are never retried,
 * and no wait reaches past the composition's deadline.
 *
 * @param maxAttempts       attempts in all, the first one included (2 to 10)
 * @param initialBackoff    the wait before the second attempt
 * @param backoffMultiplier each further wait is the previous one times this (1 for a constant wait)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double backoffMultiplier) {

    public RetryPolicy {
        if (maxAttempts < 2 || maxAttempts > 10) {
            throw new IllegalArgumentException("a retry policy makes 2 to 10 attempts, got " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("the backoff must be positive, got " + initialBackoff);
        }
        if (!(backoffMultiplier >= 1.0 && backoffMultiplier <= 10.0)) {
            throw new IllegalArgumentException("the backoff multiplier is between 1 and 10, got " + backoffMultiplier);
        }
    }

    /** Up to {@code maxAttempts} attempts, waiting 20 ms, then 40 ms, and so on. */
    public static RetryPolicy attempts(int maxAttempts) {
        return new RetryPolicy(maxAttempts, Duration.ofMillis(20), 2.0);
    }

    public RetryPolicy backoff(Duration initial, double multiplier) {
        return new RetryPolicy(maxAttempts, initial, multiplier);
    }
}
