package dev.keel.eventstore;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.keel.core.Decider;
import dev.keel.core.Decision;

/** A small event-sourced domain for the tests: a shopping cart, as a pure decider. */
record Cart(String owner, Map<String, Integer> items, boolean checkedOut) {

    sealed interface Command {
    }

    record Open(String owner) implements Command {
    }

    record AddItem(String sku, int quantity) implements Command {
    }

    record CheckOut() implements Command {
    }

    sealed interface Event {
    }

    record Opened(String owner) implements Event {
    }

    record ItemAdded(String sku, int quantity) implements Event {
    }

    record CheckedOut(int items) implements Event {
    }

    static final Cart NONE = new Cart("", Map.of(), false);

    Cart {
        items = Map.copyOf(items);
    }

    boolean exists() {
        return !owner.isEmpty();
    }

    int count() {
        return items.values().stream().mapToInt(Integer::intValue).sum();
    }

    static Decider<Command, Cart, Event> decider() {
        return Decider.of(() -> NONE, Cart::decide, Cart::evolve);
    }

    static Decision<Event> decide(Command command, Cart cart) {
        return switch (command) {
            case Open open when cart.exists() -> Decision.reject("cart-exists", "the cart is open already");
            case Open open -> Decision.accept(new Opened(open.owner()));
            case AddItem add when !cart.exists() -> Decision.reject("no-cart", "open the cart first");
            case AddItem add when cart.checkedOut() -> Decision.reject("cart-checked-out", "the cart is checked out");
            case AddItem add -> {
                if (add.quantity() < 1) {
                    throw new IllegalArgumentException("a quantity is positive, got " + add.quantity());
                }
                yield Decision.accept(new ItemAdded(add.sku(), add.quantity()));
            }
            case CheckOut checkOut when cart.checkedOut() -> Decision.nothing();
            case CheckOut checkOut when cart.items().isEmpty() -> Decision.reject("cart-empty", "nothing to check out");
            case CheckOut checkOut -> Decision.accept(new CheckedOut(cart.count()));
        };
    }

    static Cart evolve(Cart cart, Event event) {
        return switch (event) {
            case Opened opened -> new Cart(opened.owner(), Map.of(), false);
            case ItemAdded added -> {
                Map<String, Integer> items = new LinkedHashMap<>(cart.items());
                items.merge(added.sku(), added.quantity(), Integer::sum);
                yield new Cart(cart.owner(), items, cart.checkedOut());
            }
            case CheckedOut checkedOut -> new Cart(cart.owner(), cart.items(), true);
        };
    }
}
