package dev.keel.shop.inventory.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import dev.keel.core.json.JsonCodec;
import org.junit.jupiter.api.Test;

class InventoryContractTest {

    @Test
    void commands_and_replies_survive_the_wire() {
        JsonCodec json = JsonCodec.tolerant();
        ReserveStock reserve = new ReserveStock(UUID.randomUUID(), List.of(new StockLine("SKU-1", 2)));
        StockReservationFailed failed = new StockReservationFailed(reserve.orderId(), "out of stock", List.of("SKU-1"));

        assertThat(json.fromJson(json.toJson(reserve), ReserveStock.class)).isEqualTo(reserve);
        assertThat(json.fromJson(json.toJson(failed), StockReservationFailed.class)).isEqualTo(failed);
    }

    @Test
    void refuses_empty_reservations_and_silly_quantities() {
        assertThatThrownBy(() -> new ReserveStock(UUID.randomUUID(), List.of())).hasMessage("lines must not be empty");
        assertThatThrownBy(() -> new StockLine("SKU-1", -1)).hasMessage("quantity must be positive, got -1");
        assertThatThrownBy(() -> new StockAddition(0)).hasMessage("quantity must be positive, got 0");
    }
}
