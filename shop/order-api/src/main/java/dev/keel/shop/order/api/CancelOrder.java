package dev.keel.shop.order.api;

import dev.keel.core.Require;

/** Body of {@code POST /api/orders/{id}/cancel}. */
public record CancelOrder(String reason) {

    public CancelOrder {
        reason = Require.text(reason, "reason", 500);
    }
}
