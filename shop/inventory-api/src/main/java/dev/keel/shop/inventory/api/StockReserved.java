package dev.keel.shop.inventory.api;

import java.util.UUID;

/** Reply: every line of the order is reserved. */
public record StockReserved(UUID orderId) {

    public static final String TYPE = "shop.inventory.StockReserved";
}
