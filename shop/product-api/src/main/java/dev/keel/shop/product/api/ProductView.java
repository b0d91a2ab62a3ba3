package dev.keel.shop.product.api;

import java.math.BigDecimal;

/** A product as {@code GET /api/products/{sku}} returns it. */
public record ProductView(Sku sku, String name, BigDecimal price, long version) {
}
