package dev.keel.composition;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code maxConcurrentCalls} calls to one downstream at a time, across all compositions; a
 * call that finds no free slot waits up to {@code maxWait} and is then reported
 * {@link Reason#BULKHEAD_FULL} without being made.
 */
public record BulkheadPolicy(int maxConcurrentCalls, Duration maxWait) {

    public BulkheadPolicy {
        if (maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("a bulkhead lets at least one call through, got " + maxConcurrentCalls);
        }
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("the bulkhead wait cannot be negative, got " + maxWait);
        }
    }

    /** At most {@code maxConcurrentCalls} at a time; one more is refused at once. */
    public static BulkheadPolicy of(int maxConcurrentCalls) {
        return new BulkheadPolicy(maxConcurrentCalls, Duration.ZERO);
    }

    public BulkheadPolicy waitingUpTo(Duration wait) {
        return new BulkheadPolicy(maxConcurrentCalls, wait);
    }
}
