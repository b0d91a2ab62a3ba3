package dev.keel.shop.customer.api;

import java.time.Instant;

/** A customer as {@code GET /api/customers/{id}} returns it. */
public record CustomerView(CustomerId id, String name, String email, Instant registeredAt, long version) {
}
