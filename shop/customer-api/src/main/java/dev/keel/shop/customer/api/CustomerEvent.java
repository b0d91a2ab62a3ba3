package dev.keel.shop.customer.api;

/**
 * What the customer service publishes on {@link CustomerTopics#EVENTS}, keyed by customer id. Each
 * event carries the customer's full current name and email, so a replica needs only the latest one.
 */
public sealed interface CustomerEvent permits CustomerRegistered, CustomerUpdated {

    CustomerId customerId();

    String name();

    String email();
}
