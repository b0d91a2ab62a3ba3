package dev.keel.shop.payment.api;

import java.math.BigDecimal;
import java.util.UUID;

public record PaymentCharged(UUID orderId, UUID paymentId, BigDecimal amount) implements PaymentEvent {

    public static final String TYPE = "shop.payment.PaymentCharged";
}
