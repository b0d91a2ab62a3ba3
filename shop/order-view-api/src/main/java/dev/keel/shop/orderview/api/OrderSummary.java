package dev.keel.shop.orderview.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** One order in order-view's lists and searches. */
public record OrderSummary(UUID orderId, UUID customerId, String customerName, String status, int items,
                           BigDecimal total, Instant placedAt, Instant updatedAt) {
}
