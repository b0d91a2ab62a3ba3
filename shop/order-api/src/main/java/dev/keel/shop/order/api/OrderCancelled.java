package dev.keel.shop.order.api;

import java.time.Instant;

/** Cancelled before delivery; payment, inventory and shipping react to this event (choreography). */
public record OrderCancelled(OrderId orderId, String reason, Instant cancelledAt) implements OrderEvent {

    public static final String TYPE = "shop.order.OrderCancelled";
}
