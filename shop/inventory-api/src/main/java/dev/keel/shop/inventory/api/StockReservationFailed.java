package dev.keel.shop.inventory.api;

import java.util.List;
import java.util.UUID;

/** Reply: nothing was reserved; {@code unavailable} lists the SKUs without enough stock. */
public record StockReservationFailed(UUID orderId, String reason, List<String> unavailable) {

    public static final String TYPE = "shop.inventory.StockReservationFailed";
}
