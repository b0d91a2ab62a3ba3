package dev.keel.shop.inventory.api;

import dev.keel.core.Require;

/** Body of {@code POST /api/inventory/{sku}/stock}: units arriving in the warehouse. */
public record StockAddition(int quantity) {

    public StockAddition {
        Require.atMost(Require.positive(quantity, "quantity"), 1_000_000, "quantity");
    }
}
