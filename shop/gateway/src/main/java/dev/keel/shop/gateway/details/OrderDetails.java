package dev.keel.shop.gateway.details;

import java.util.List;
import java.util.Optional;

import dev.keel.shop.customer.api.CustomerView;
import dev.keel.shop.order.api.OrderView;
import dev.keel.shop.payment.api.PaymentView;
import dev.keel.shop.product.api.ProductView;
import dev.keel.shop.shipping.api.ShipmentView;

/**
 * The {@code data} of {@code GET /api/orders/{id}/details}: the order and what the other services know
 * about it. An absent value is either missing (its part says why) or known not to exist (a payment or
 * shipment not made yet: its part is {@code complete}); the {@code parts} beside it tell which.
 *
 * @param order    from the order service (required: no order, no details)
 * @param customer from the customer service
 * @param products from the product service, one per order line, in line order
 * @param payment  from the payment service
 * @param shipment from the shipping service
 */
public record OrderDetails(OrderView order, Optional<CustomerView> customer, Optional<List<ProductView>> products,
                           Optional<PaymentView> payment, Optional<ShipmentView> shipment) {
}
