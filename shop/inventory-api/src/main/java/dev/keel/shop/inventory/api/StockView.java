package dev.keel.shop.inventory.api;

/** A SKU's stock as {@code GET /api/inventory/{sku}} returns it. */
public record StockView(String sku, int onHand, int reserved, int available) {
}
