package dev.keel.test.decider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import dev.keel.core.Decider;
import dev.keel.core.Decision;
import dev.keel.core.Rejection;
import org.jspecify.annotations.Nullable;

/**
 * Given / when / then for a {@link Decider}: given past events, when a command arrives, then these
 * events happen — or the command is rejected, or the decider throws. No store, no I/O: the decider is
 * pure, so is its test.
 *
 * <pre>{@code
 * DeciderFixture.of(Cart.decider())
 *         .given(new CartOpened("ann"), new ItemAdded("A-1", 1))
 *         .when(new CheckOut())
 *         .thenEvents(new CheckedOut(1));
 *
 * DeciderFixture.of(Cart.decider())
 *         .given(new CartOpened("ann"))
 *         .when(new CheckOut())
 *         .thenRejected("cart-empty");
 * }</pre>
 */
public final class DeciderFixture<C, S, E> {

    private final Decider<C, S, E> decider;
    private final List<E> history;

    private DeciderFixture(Decider<C, S, E> decider, List<E> history) {
        this.decider = decider;
        this.history = history;
    }

    public static <C, S, E> DeciderFixture<C, S, E> of(Decider<C, S, E> decider) {
        return new DeciderFixture<>(Objects.requireNonNull(decider, "decider"), List.of());
    }

    /** The events that happened before (none if never called). */
    @SafeVarargs
    public final DeciderFixture<C, S, E> given(E... events) {
        return new DeciderFixture<>(decider, List.of(events));
    }

    public DeciderFixture<C, S, E> given(List<E> events) {
        return new DeciderFixture<>(decider, List.copyOf(events));
    }

    /** The command to decide on the state the given events lead to. */
    public Then<C, S, E> when(C command) {
        S state = decider.fold(decider.initialState(), history);
        try {
            return new Then<>(decider, history, command, state, decider.decide(command, state), null);
        } catch (RuntimeException e) {
            return new Then<>(decider, history, command, state, null, e);
        }
    }

    /** What the decider decided, to check. */
    public static final class Then<C, S, E> {
        private final Decider<C, S, E> decider;
        private final List<E> history;
        private final C command;
        private final S state;
        private final @Nullable Decision<E> decision;
        private final @Nullable RuntimeException thrown;

        private Then(Decider<C, S, E> decider, List<E> history, C command, S state, @Nullable Decision<E> decision,
                     @Nullable RuntimeException thrown) {
            this.decider = decider;
            this.history = history;
            this.command = command;
            this.state = state;
            this.decision = decision;
            this.thrown = thrown;
        }

        /** The command was accepted and exactly these events happened, in this order. */
        @SafeVarargs
        public final Then<C, S, E> thenEvents(E... expected) {
            assertThat(accepted().events()).as(describe("the events")).containsExactly(expected);
            return this;
        }

        /** The command was accepted and changed nothing. */
        public Then<C, S, E> thenNothingHappens() {
            assertThat(accepted().events()).as(describe("the events")).isEmpty();
            return this;
        }

        /** The command was rejected with this code. */
        public Then<C, S, E> thenRejected(String code) {
            assertThat(rejection().code()).as(describe("the rejection code")).isEqualTo(code);
            return this;
        }

        /** The command was rejected; check the rejection. */
        public Then<C, S, E> thenRejected(Consumer<Rejection> check) {
            check.accept(rejection());
            return this;
        }

        /** The decider threw (a bug or broken invariant, not a business "no"). */
        public Then<C, S, E> thenThrows(Class<? extends Throwable> type) {
            assertThat(thrown).as(describe("what was thrown")).isInstanceOf(type);
            return this;
        }

        /** The state after the given events and the decided ones. */
        public Then<C, S, E> thenState(Consumer<S> check) {
            check.accept(decider.fold(state, accepted().events()));
            return this;
        }

        /** The state after the given events and the decided ones equals {@code expected}. */
        public Then<C, S, E> thenState(S expected) {
            assertThat(decider.fold(state, accepted().events())).as(describe("the state afterwards")).isEqualTo(expected);
            return this;
        }

        private Decision.Accepted<E> accepted() {
            if (thrown != null) {
                throw new AssertionError(describe("expected the command to be accepted, but the decider threw " + thrown), thrown);
            }
            if (decision instanceof Decision.Accepted<E> accepted) {
                return accepted;
            }
            throw new AssertionError(describe("expected the command to be accepted, but it was rejected: "
                    + ((Decision.Rejected<E>) decision).rejection()));
        }

        private Rejection rejection() {
            if (thrown != null) {
                throw new AssertionError(describe("expected a rejection, but the decider threw " + thrown), thrown);
            }
            if (decision instanceof Decision.Rejected<E> rejected) {
                return rejected.rejection();
            }
            throw new AssertionError(describe("expected a rejection, but the command was accepted with "
                    + ((Decision.Accepted<E>) decision).events()));
        }

        private String describe(String what) {
            return what + " (given " + history + ", when " + command + ")";
        }
    }
}
