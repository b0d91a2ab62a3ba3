package dev.keel.shop.inventory.api;

import java.util.List;
import java.util.UUID;

import dev.keel.core.Require;

/** Command: reserve all lines for an order, or none. Replies {@link StockReserved} or {@link StockReservationFailed}. */
public record ReserveStock(UUID orderId, List<StockLine> lines) {

    public static final String TYPE = "shop.inventory.ReserveStock";

    public ReserveStock {
        Require.present(orderId, "orderId");
        lines = List.copyOf(Require.notEmpty(lines, "lines", 100));
    }
}
