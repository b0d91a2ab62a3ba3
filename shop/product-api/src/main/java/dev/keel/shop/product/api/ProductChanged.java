package dev.keel.shop.product.api;

import java.math.BigDecimal;

/** A product's name or price changed; {@code previousPrice} tells a price change from a rename. */
public record ProductChanged(Sku sku, String name, BigDecimal price, BigDecimal previousPrice) implements ProductEvent {

    public static final String TYPE = "shop.product.ProductChanged";
}
