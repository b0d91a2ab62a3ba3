package dev.keel.shop.order.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An order as {@code GET /api/orders/{id}} returns it. {@code position} is the order's last event's
 * position token: pass it to order-view's queries to read your own write.
 */
public record OrderView(OrderId id, UUID customerId, String customerName, String status, List<OrderLine> lines,
                        BigDecimal total, ShippingAddress shippingAddress, String reason, Instant placedAt,
                        long version, String position) {
}
