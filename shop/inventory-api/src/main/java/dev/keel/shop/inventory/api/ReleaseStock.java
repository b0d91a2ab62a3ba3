package dev.keel.shop.inventory.api;

import java.util.UUID;

import dev.keel.core.Require;

/** Command (compensation): release an order's reservation; a missing reservation is already released. Replies {@link StockReleased}. */
public record ReleaseStock(UUID orderId, String reason) {

    public static final String TYPE = "shop.inventory.ReleaseStock";

    public ReleaseStock {
        Require.present(orderId, "orderId");
        reason = Require.text(reason, "reason", 500);
    }
}
