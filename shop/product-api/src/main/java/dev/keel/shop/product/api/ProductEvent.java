package dev.keel.shop.product.api;

import java.math.BigDecimal;

/**
 * What the product service publishes on {@link ProductTopics#EVENTS}, keyed by SKU. Each event carries
 * the product's full current name and price (EUR), so a replica needs only the latest one.
 */
public sealed interface ProductEvent permits ProductAdded, ProductChanged {

    Sku sku();

    String name();

    BigDecimal price();
}
