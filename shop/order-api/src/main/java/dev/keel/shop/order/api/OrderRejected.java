package dev.keel.shop.order.api;

import java.time.Instant;

/** The place-order saga failed and was compensated; {@code reason} says which step failed and why. */
public record OrderRejected(OrderId orderId, String reason, Instant rejectedAt) implements OrderEvent {

    public static final String TYPE = "shop.order.OrderRejected";
}
