package dev.keel.shop.inventory.api;

import java.util.UUID;

/** Reply: the order's reservation is released (or there was none). */
public record StockReleased(UUID orderId) {

    public static final String TYPE = "shop.inventory.StockReleased";
}
