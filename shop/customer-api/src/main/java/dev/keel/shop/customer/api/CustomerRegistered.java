package dev.keel.shop.customer.api;

import java.time.Instant;

public record CustomerRegistered(CustomerId customerId, String name, String email, Instant registeredAt) implements CustomerEvent {

    public static final String TYPE = "shop.customer.CustomerRegistered";
}
