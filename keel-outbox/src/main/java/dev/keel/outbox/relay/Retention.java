package dev.keel.outbox.relay;

import java.time.Duration;
import java.util.Objects;

/**
 * How long published rows of a {@link PrunableSource} stay in the table: deleted as soon as they are
 * published, after a while (to look at what went out), or never.
 */
public sealed interface Retention {

    /** Delete rows once published (the default for the outbox). */
    static Retention deleteWhenPublished() {
        return new DeleteAfter(Duration.ZERO);
    }

    /** Delete published rows written more than {@code age} ago. */
    static Retention deleteAfter(Duration age) {
        return new DeleteAfter(age);
    }

    static Retention keepForever() {
        return new KeepForever();
    }

    record DeleteAfter(Duration age) implements Retention {
        public DeleteAfter {
            Objects.requireNonNull(age, "age");
            if (age.isNegative()) {
                throw new IllegalArgumentException("a retention is not negative, got " + age);
            }
        }
    }

    record KeepForever() implements Retention {
    }
}
