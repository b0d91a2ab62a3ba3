package dev.keel.shop.shipping.api;

import java.util.UUID;

import dev.keel.core.Require;

/** Command (compensation, or on cancellation): cancel an order's shipment unless it has left; no shipment, nothing to cancel. Replies {@link ShipmentCancelled}. */
public record CancelShipment(UUID orderId, String reason) {

    public static final String TYPE = "shop.shipping.CancelShipment";

    public CancelShipment {
        Require.present(orderId, "orderId");
        reason = Require.text(reason, "reason", 500);
    }
}
