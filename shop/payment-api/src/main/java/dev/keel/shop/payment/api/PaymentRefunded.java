package dev.keel.shop.payment.api;

import java.math.BigDecimal;
import java.util.UUID;

/** The order's charge was refunded; {@code amount} is zero when nothing had been charged. */
public record PaymentRefunded(UUID orderId, BigDecimal amount) implements PaymentEvent {

    public static final String TYPE = "shop.payment.PaymentRefunded";
}
