package dev.keel.shop.product.api;

import java.math.BigDecimal;
import java.time.Instant;

public record ProductAdded(Sku sku, String name, BigDecimal price, Instant addedAt) implements ProductEvent {

    public static final String TYPE = "shop.product.ProductAdded";
}
