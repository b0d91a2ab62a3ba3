package dev.keel.shop.product.api;

/** Kafka topics of the product service. */
public final class ProductTopics {

    /** {@link ProductEvent}s, key = SKU. */
    public static final String EVENTS = "shop.product.events";

    private ProductTopics() {
    }
}
