package dev.keel.shop.payment.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A payment as {@code GET /api/payments?orderId=} returns it; status CHARGED, DECLINED or REFUNDED. */
public record PaymentView(UUID paymentId, UUID orderId, UUID customerId, BigDecimal amount, String status,
                          String reason, Instant updatedAt) {
}
