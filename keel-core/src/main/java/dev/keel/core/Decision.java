package dev.keel.core;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link Decider} decided: the events to record (possibly none, for a command that changes
 * nothing), or a {@link Rejection} — an expected business "no", which is a value, not an exception.
 */
public sealed interface Decision<E> {

    /** The command is accepted; these events happened (in this order). */
    record Accepted<E>(List<E> events) implements Decision<E> {
        public Accepted {
            events = List.copyOf(Objects.requireNonNull(events, "events"));
        }
    }

    /** The command is refused; nothing happened. */
    record Rejected<E>(Rejection rejection) implements Decision<E> {
        public Rejected {
            Objects.requireNonNull(rejection, "rejection");
        }
    }

    @SafeVarargs
    static <E> Decision<E> accept(E... events) {
        return new Accepted<>(List.of(events));
    }

    static <E> Decision<E> accept(List<? extends E> events) {
        return new Accepted<>(List.copyOf(events));
    }

    /** Accepted, and nothing happened (e.g. a repeated command that is already in effect). */
    static <E> Decision<E> nothing() {
        return new Accepted<>(List.of());
    }

    static <E> Decision<E> reject(String code, String message) {
        return new Rejected<>(new Rejection(code, message));
    }

    static <E> Decision<E> reject(Rejection rejection) {
        return new Rejected<>(rejection);
    }

    default boolean isAccepted() {
        return this instanceof Accepted<E>;
    }
}
