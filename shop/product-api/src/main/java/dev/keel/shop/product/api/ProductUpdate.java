package dev.keel.shop.product.api;

import java.math.BigDecimal;

import dev.keel.core.Require;

/** Body of {@code PUT /api/products/{sku}}: the new name and price (EUR). */
public record ProductUpdate(String name, BigDecimal price) {

    public ProductUpdate {
        name = Require.text(name, "name", 200);
        Require.money(price, "price");
    }
}
