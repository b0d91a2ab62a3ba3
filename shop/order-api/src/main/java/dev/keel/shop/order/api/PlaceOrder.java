package dev.keel.shop.order.api;

import java.util.List;
import java.util.UUID;

import dev.keel.core.Require;

/** Body of {@code POST /api/orders}. Prices are not given: the order service takes them from its product replica. */
public record PlaceOrder(UUID customerId, List<Item> items, ShippingAddress shippingAddress) {

    /** A SKU and how many. */
    public record Item(String sku, int quantity) {
        public Item {
            Require.text(sku, "sku", 40);
            Require.atMost(Require.positive(quantity, "quantity"), 1_000, "quantity");
        }
    }

    public PlaceOrder {
        Require.present(customerId, "customerId");
        items = List.copyOf(Require.notEmpty(items, "items", 50));
        Require.present(shippingAddress, "shippingAddress");
    }
}
