package dev.keel.shop.payment.api;

import java.util.UUID;

import dev.keel.core.Require;

/** Command (compensation, or on cancellation): refund what was charged for an order; nothing charged, nothing refunded. Replies {@link PaymentRefunded}. */
public record RefundPayment(UUID orderId, String reason) {

    public static final String TYPE = "shop.payment.RefundPayment";

    public RefundPayment {
        Require.present(orderId, "orderId");
        reason = Require.text(reason, "reason", 500);
    }
}
