package dev.keel.core;

import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The pure heart of an event-sourced aggregate: from a command and the current state it
 * {@linkplain #decide decides} what happened, and from a state and one event it {@linkplain #evolve
 * computes} the next state. It does no I/O and throws nothing for a business "no": a rejection is a
 * {@link Decision} like any other. Loading, storing and retrying are the event store's job.
 *
 * <pre>{@code
 * Decider<CartCommand, Cart, CartEvent> cart = Decider.of(
 *         Cart::empty,
 *         (command, state) -> switch (command) {
 *             case AddItem add when state.isCheckedOut() -> Decision.reject("cart-checked-out", "the cart is checked out");
 *             case AddItem add -> Decision.accept(new ItemAdded(add.sku()));
 *             ...
 *         },
 *         (state, event) -> state.apply(event));
 * }</pre>
 *
 * @param <C> commands
 * @param <S> states (immutable values)
 * @param <E> events
 */
public interface Decider<C, S, E> {

    /** The state before the first event. */
    S initialState();

    /** What happens when {@code command} meets {@code state}: events to record, or a rejection. */
    Decision<E> decide(C command, S state);

    /** The state after {@code event}. */
    S evolve(S state, E event);

    /** The state after all of {@code events}, starting from {@code state}. */
    default S fold(S state, Iterable<? extends E> events) {
        S current = state;
        for (E event : events) {
            current = evolve(current, event);
        }
        return current;
    }

    /** The state after all of {@code events}, starting from the {@linkplain #initialState() initial state}. */
    default S replay(List<? extends E> events) {
        return fold(initialState(), events);
    }

    /** A decider made of three functions. */
    static <C, S, E> Decider<C, S, E> of(Supplier<? extends S> initialState,
                                         BiFunction<? super C, ? super S, Decision<E>> decide,
                                         BiFunction<? super S, ? super E, ? extends S> evolve) {
        Objects.requireNonNull(initialState, "initialState");
        Objects.requireNonNull(decide, "decide");
        Objects.requireNonNull(evolve, "evolve");
        return new Decider<>() {
            @Override
            public S initialState() {
                return initialState.get();
            }

            @Override
            public Decision<E> decide(C command, S state) {
                return decide.apply(command, state);
            }

            @Override
            public S evolve(S state, E event) {
                return evolve.apply(state, event);
            }
        };
    }
}
