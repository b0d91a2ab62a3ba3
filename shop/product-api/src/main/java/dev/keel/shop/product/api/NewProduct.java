package dev.keel.shop.product.api;

import java.math.BigDecimal;

import dev.keel.core.Require;

/** Body of {@code POST /api/products}: a product with its price in EUR. */
public record NewProduct(Sku sku, String name, BigDecimal price) {

    public NewProduct {
        Require.present(sku, "sku");
        name = Require.text(name, "name", 200);
        Require.money(price, "price");
    }
}
