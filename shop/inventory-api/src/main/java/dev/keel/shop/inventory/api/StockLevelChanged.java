package dev.keel.shop.inventory.api;

/** Event: a SKU's stock changed (stocked, reserved, released or shipped). */
public record StockLevelChanged(String sku, int onHand, int reserved, int available) {

    public static final String TYPE = "shop.inventory.StockLevelChanged";
}
