package dev.keel.shop.shipping.api;

import java.util.UUID;

public record ShipmentCreated(UUID orderId, UUID shipmentId) implements ShipmentEvent {

    public static final String TYPE = "shop.shipping.ShipmentCreated";
}
