package dev.keel.shop.order.api;

/**
 * The order's event stream (stream id {@code order-<id>} in the order service's event store), published
 * to {@link OrderTopics#EVENTS} keyed by order id. Status after each: placed -> PENDING, approved ->
 * APPROVED, rejected -> REJECTED, cancelled -> CANCELLED, shipped -> SHIPPED, delivered -> DELIVERED.
 */
public sealed interface OrderEvent permits OrderPlaced, OrderApproved, OrderRejected, OrderCancelled, OrderShipped, OrderDelivered {

    OrderId orderId();
}
