package dev.keel.shop.order.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The customer's name is copied in from the order service's replica of customer data. */
public record OrderPlaced(OrderId orderId, java.util.UUID customerId, String customerName, List<OrderLine> lines,
                          BigDecimal total, ShippingAddress shippingAddress, Instant placedAt) implements OrderEvent {

    public static final String TYPE = "shop.order.OrderPlaced";
}
