package dev.keel.shop.shipping.api;

/** Kafka topics of the shipping service. */
public final class ShippingTopics {

    /** {@link CreateShipment} and {@link CancelShipment} commands, key = order id. */
    public static final String COMMANDS = "shop.shipping.commands";

    /** {@link ShipmentEvent}s, key = order id. */
    public static final String EVENTS = "shop.shipping.events";

    private ShippingTopics() {
    }
}
