package dev.keel.shop.shipping.api;

import java.time.Instant;
import java.util.UUID;

/** A shipment as {@code GET /api/shipments?orderId=} returns it; status CREATED, SHIPPED, DELIVERED or CANCELLED. */
public record ShipmentView(UUID shipmentId, UUID orderId, UUID customerId, Address address, int items, String status,
                           Instant updatedAt) {
}
