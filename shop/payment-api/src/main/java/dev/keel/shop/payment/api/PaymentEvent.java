package dev.keel.shop.payment.api;

import java.util.UUID;

/** Replies to payment commands, also published as events on {@link PaymentTopics#EVENTS}. */
public sealed interface PaymentEvent permits PaymentCharged, PaymentDeclined, PaymentRefunded {

    UUID orderId();
}
