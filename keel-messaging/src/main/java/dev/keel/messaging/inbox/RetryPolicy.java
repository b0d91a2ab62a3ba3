package dev.keel.messaging.inbox;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently a transiently failing message is tried: {@code maxAttempts} in all,
 * waiting before attempt n+1 a random time between half and all of
 * {@code min(maxBackoff, initialBackoff * 2^(n-1))} (exponential backoff with jitter, so that many
 * consumers failing together do not retry together).
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt, got " + maxAttempts);
        }
        if (initialBackoff == null || initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive, got " + initialBackoff);
        }
        if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maximum backoff " + maxBackoff + " must be at least the initial " + initialBackoff);
        }
    }

    /** 8 attempts, from 100 ms up to one minute apart. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(8, Duration.ofMillis(100), Duration.ofMinutes(1));
    }

    public static RetryPolicy exponential(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff);
    }

    /** Whether a message that failed {@code attempts} times may be tried again. */
    public boolean allowsAnotherAfter(int attempts) {
        return attempts < maxAttempts;
    }

    /** The pause after the {@code failedAttempts}-th failure, with jitter. */
    public Duration backoffAfter(int failedAttempts) {
        int doublings = Math.min(Math.max(0, failedAttempts - 1), 40);
        long capped = (long) Math.min((double) maxBackoff.toNanos(), initialBackoff.toNanos() * Math.pow(2, doublings));
        return Duration.ofNanos(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }
}
