package dev.keel.shop.shipping.api;

import java.util.UUID;

import dev.keel.core.Require;

/** Command: prepare a shipment of an order. Replies {@link ShipmentCreated} or {@link ShipmentRefused} (e.g. a country not served). */
public record CreateShipment(UUID orderId, UUID customerId, Address address, int items) {

    public static final String TYPE = "shop.shipping.CreateShipment";

    public CreateShipment {
        Require.present(orderId, "orderId");
        Require.present(customerId, "customerId");
        Require.present(address, "address");
        Require.positive(items, "items");
    }
}
