package dev.keel.composition;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What one part of a composition came to. Exactly one of five things, so that a value never travels
 * without saying where it came from:
 *
 * <ul>
 *   <li>{@link Complete}: fetched from the downstream just now;</li>
 *   <li>{@link Cached}: from the downstream's short-TTL cache, within its time to live;</li>
 *   <li>{@link Stale}: the call failed, and the last good answer to the same call stands in;</li>
 *   <li>{@link Default}: the call failed, and the request's default value stands in;</li>
 *   <li>{@link Missing}: no value, and why.</li>
 * </ul>
 *
 * @param <T> the decoded type of the part
 */
public sealed interface PartResult<T> {

    /** The value, if there is one (fresh, cached, stale or default). */
    Optional<T> value();

    /** Whether the value is as good as a fresh one: {@link Complete} or {@link Cached}. */
    boolean isComplete();

    /** The wire form of this result, without the value. */
    PartStatus status();

    /** Fetched from the downstream during this composition. */
    record Complete<T>(T fresh) implements PartResult<T> {
        public Complete {
            Objects.requireNonNull(fresh, "fresh");
        }

        @Override
        public Optional<T> value() {
            return Optional.of(fresh);
        }

        @Override
        public boolean isComplete() {
            return true;
        }

        @Override
        public PartStatus status() {
            return new PartStatus("complete", Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalLong.empty());
        }
    }

    /** Served from the downstream's response cache; {@code age} is how long ago it was fetched. */
    record Cached<T>(T cached, Duration age) implements PartResult<T> {
        public Cached {
            Objects.requireNonNull(cached, "cached");
            Objects.requireNonNull(age, "age");
        }

        @Override
        public Optional<T> value() {
            return Optional.of(cached);
        }

        @Override
        public boolean isComplete() {
            return true;
        }

        @Override
        public PartStatus status() {
            return new PartStatus("cached", Optional.empty(), Optional.empty(), OptionalInt.empty(),
                    OptionalLong.of(age.toMillis()));
        }
    }

    /** The call failed; the last good answer to it, fetched {@code age} ago, stands in. */
    record Stale<T>(T lastGood, Duration age, Failure failure) implements PartResult<T> {
        public Stale {
            Objects.requireNonNull(lastGood, "lastGood");
            Objects.requireNonNull(age, "age");
            Objects.requireNonNull(failure, "failure");
        }

        @Override
        public Optional<T> value() {
            return Optional.of(lastGood);
        }

        @Override
        public boolean isComplete() {
            return false;
        }

        @Override
        public PartStatus status() {
            return PartStatus.of("stale", failure, OptionalLong.of(age.toMillis()));
        }
    }

    /** The call failed; the request's default value stands in. */
    record Default<T>(T fallback, Failure failure) implements PartResult<T> {
        public Default {
            Objects.requireNonNull(fallback, "fallback");
            Objects.requireNonNull(failure, "failure");
        }

        @Override
        public Optional<T> value() {
            return Optional.of(fallback);
        }

        @Override
        public boolean isComplete() {
            return false;
        }

        @Override
        public PartStatus status() {
            return PartStatus.of("default", failure, OptionalLong.empty());
        }
    }

    /** No value; {@code failure} says why. */
    record Missing<T>(Failure failure) implements PartResult<T> {
        public Missing {
            Objects.requireNonNull(failure, "failure");
        }

        @Override
        public Optional<T> value() {
            return Optional.empty();
        }

        @Override
        public boolean isComplete() {
            return false;
        }

        @Override
        public PartStatus status() {
            return PartStatus.of("missing", failure, OptionalLong.empty());
        }
    }
}
