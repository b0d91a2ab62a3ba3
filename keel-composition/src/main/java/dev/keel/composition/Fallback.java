package dev.keel.composition;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What stands in for a call's answer when the downstream could not give one: it timed out, the
 * deadline passed, its circuit is open, its bulkhead is full, the connection failed or it answered
 * 408, 425, 429, 500, 502, 503 or 504. A definitive answer (404, another 4xx, an undecodable body) is
 * never hidden by a fallback: the part is {@link PartResult.Missing}.
 *
 * <ul>
 *   <li>{@link #omit()} (the default): no value; the part is reported missing, with the reason;</li>
 *   <li>{@link #value(Object)}: a default value, reported as {@code default} with the reason;</li>
 *   <li>{@link #lastGood(Duration)}: the last good answer to the same call, if it is no older than the
 *       given age, reported as {@code stale} with its age and the reason;
 *       {@code lastGood(age).orValue(x)} falls back to a default when there is none.</li>
 * </ul>
 *
 * @param <T> the decoded type of the call
 */
public final class Fallback<T> {

    private static final Fallback<?> OMIT = new Fallback<>(Optional.empty(), Optional.empty());

    private final Optional<Duration> lastGoodMaxAge;
    private final Optional<T> defaultValue;

    private Fallback(Optional<Duration> lastGoodMaxAge, Optional<T> defaultValue) {
        this.lastGoodMaxAge = lastGoodMaxAge;
        this.defaultValue = defaultValue;
    }

    /** No stand-in: the part is missing and says why. */
    @SuppressWarnings("unchecked")
    public static <T> Fallback<T> omit() {
        return (Fallback<T>) OMIT;
    }

    /** A default value stands in. */
    public static <T> Fallback<T> value(T value) {
        return new Fallback<>(Optional.empty(), Optional.of(Objects.requireNonNull(value, "value")));
    }

    /** The last good answer to the same call stands in, if it was fetched no longer than {@code maxAge} ago. */
    public static <T> Fallback<T> lastGood(Duration maxAge) {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("the maximum age of a last good answer must be positive, got " + maxAge);
        }
        return new Fallback<>(Optional.of(maxAge), Optional.empty());
    }

    /** This fallback, and where it has nothing, a default value. */
    public Fallback<T> orValue(T value) {
        return new Fallback<>(lastGoodMaxAge, Optional.of(Objects.requireNonNull(value, "value")));
    }

    public Optional<Duration> lastGoodMaxAge() {
        return lastGoodMaxAge;
    }

    public Optional<T> defaultValue() {
        return defaultValue;
    }

    boolean usesLastGood() {
        return lastGoodMaxAge.isPresent();
    }

    @Override
    public String toString() {
        if (lastGoodMaxAge.isEmpty() && defaultValue.isEmpty()) {
            return "Fallback.omit";
        }
        return "Fallback[" + lastGoodMaxAge.map(age -> "lastGood(" + age + ")").orElse("")
                + (lastGoodMaxAge.isPresent() && defaultValue.isPresent() ? " then " : "")
                + defaultValue.map(value -> "value").orElse("") + "]";
    }
}
