package dev.keel.shop.order.api;

import java.time.Instant;

public record OrderApproved(OrderId orderId, Instant approvedAt) implements OrderEvent {

    public static final String TYPE = "shop.order.OrderApproved";
}
