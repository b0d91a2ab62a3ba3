package dev.keel.shop.order.api;

/** Kafka topics of the order service. */
public final class OrderTopics {

    /** {@link OrderEvent}s, key = order id, published from the order service's event store. */
    public static final String EVENTS = "shop.order.events";

    /** Where participants send replies to the place-order saga's commands. */
    public static final String SAGA_REPLIES = "shop.order.saga-replies";

    private OrderTopics() {
    }
}
