package dev.keel.shop.payment.api;

/** Kafka topics of the payment service. */
public final class PaymentTopics {

    /** {@link ChargePayment} and {@link RefundPayment} commands, key = order id. */
    public static final String COMMANDS = "shop.payment.commands";

    /** {@link PaymentEvent}s, key = order id. */
    public static final String EVENTS = "shop.payment.events";

    private PaymentTopics() {
    }
}
