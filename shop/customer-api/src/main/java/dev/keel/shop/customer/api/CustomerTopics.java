package dev.keel.shop.customer.api;

/** Kafka topics of the customer service. */
public final class CustomerTopics {

    /** {@link CustomerEvent}s, key = customer id. */
    public static final String EVENTS = "shop.customer.events";

    private CustomerTopics() {
    }
}
