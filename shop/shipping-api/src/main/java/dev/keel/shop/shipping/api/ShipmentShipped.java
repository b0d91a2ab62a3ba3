package dev.keel.shop.shipping.api;

import java.util.UUID;

public record ShipmentShipped(UUID orderId, UUID shipmentId, java.time.Instant shippedAt) implements ShipmentEvent {

    public static final String TYPE = "shop.shipping.ShipmentShipped";
}
