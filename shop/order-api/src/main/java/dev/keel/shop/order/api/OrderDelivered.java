package dev.keel.shop.order.api;

import java.time.Instant;

public record OrderDelivered(OrderId orderId, Instant deliveredAt) implements OrderEvent {

    public static final String TYPE = "shop.order.OrderDelivered";
}
