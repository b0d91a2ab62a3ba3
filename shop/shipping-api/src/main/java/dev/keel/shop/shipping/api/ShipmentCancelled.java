package dev.keel.shop.shipping.api;

import java.util.UUID;

public record ShipmentCancelled(UUID orderId, String reason) implements ShipmentEvent {

    public static final String TYPE = "shop.shipping.ShipmentCancelled";
}
