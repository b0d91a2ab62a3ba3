package dev.keel.shop.shipping.api;

import java.util.UUID;

public record ShipmentDelivered(UUID orderId, UUID shipmentId, java.time.Instant deliveredAt) implements ShipmentEvent {

    public static final String TYPE = "shop.shipping.ShipmentDelivered";
}
