package dev.keel.shop.customer;

import java.time.Instant;
import java.util.Optional;

import dev.keel.shop.customer.api.CustomerDetails;
import dev.keel.shop.customer.api.CustomerId;
import dev.keel.shop.customer.api.CustomerRegistered;
import dev.keel.shop.customer.api.CustomerUpdated;
import dev.keel.shop.customer.api.CustomerView;

/**
 * A customer as the service keeps it, and the decisions about it: pure functions from the current
 * state and the request to the new state and the event that announces it. The slices store both in
 * one transaction.
 *
 * @param version 1 when registered, one more with every change
 */
public record Customer(CustomerId id, String name, String email, Instant registeredAt, long version) {

    /** The outbox's aggregate type of customer events (routed to {@code shop.customer.events}). */
    public static final String AGGREGATE = "Customer";

    /** A new customer and its {@link CustomerRegistered}. */
    public record Registered(Customer customer, CustomerRegistered event) {
    }

    /** A changed customer and its {@link CustomerUpdated}, which carries the full new details. */
    public record Updated(Customer customer, CustomerUpdated event) {
    }

    public static Registered register(CustomerId id, CustomerDetails details, Instant at) {
        Customer customer = new Customer(id, details.name(), details.email(), at, 1);
        return new Registered(customer, new CustomerRegistered(id, details.name(), details.email(), at));
    }

    /** The change to new details; empty when they are the current ones (nothing to store or announce). */
    public Optional<Updated> update(CustomerDetails details) {
        if (name.equals(details.name()) && email.equals(details.email())) {
            return Optional.empty();
        }
        Customer changed = new Customer(id, details.name(), details.email(), registeredAt, version + 1);
        return Optional.of(new Updated(changed, new CustomerUpdated(id, details.name(), details.email())));
    }

    public CustomerView view() {
        return new CustomerView(id, name, email, registeredAt, version);
    }
}
