package dev.keel.shop.payment.api;

import java.math.BigDecimal;
import java.util.UUID;

import dev.keel.core.Require;

/** Command: charge a customer for an order (EUR). Replies {@link PaymentCharged} or {@link PaymentDeclined}. */
public record ChargePayment(UUID orderId, UUID customerId, BigDecimal amount) {

    public static final String TYPE = "shop.payment.ChargePayment";

    public ChargePayment {
        Require.present(orderId, "orderId");
        Require.present(customerId, "customerId");
        Require.money(amount, "amount");
    }
}
