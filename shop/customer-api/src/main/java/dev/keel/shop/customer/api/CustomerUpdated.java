package dev.keel.shop.customer.api;

public record CustomerUpdated(CustomerId customerId, String name, String email) implements CustomerEvent {

    public static final String TYPE = "shop.customer.CustomerUpdated";
}
