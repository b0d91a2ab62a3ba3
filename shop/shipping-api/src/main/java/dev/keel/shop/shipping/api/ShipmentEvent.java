package dev.keel.shop.shipping.api;

import java.util.UUID;

/** Replies to shipping commands and the shipment's later life, published on {@link ShippingTopics#EVENTS}. */
public sealed interface ShipmentEvent permits ShipmentCreated, ShipmentRefused, ShipmentCancelled, ShipmentShipped, ShipmentDelivered {

    UUID orderId();
}
