package dev.keel.shop.order.api;

import java.time.Instant;

public record OrderShipped(OrderId orderId, java.util.UUID shipmentId, Instant shippedAt) implements OrderEvent {

    public static final String TYPE = "shop.order.OrderShipped";
}
