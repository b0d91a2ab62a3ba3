package dev.keel.shop.payment.api;

import java.util.UUID;

public record PaymentDeclined(UUID orderId, String reason) implements PaymentEvent {

    public static final String TYPE = "shop.payment.PaymentDeclined";
}
