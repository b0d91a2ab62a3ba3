package dev.keel.shop.order.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.keel.core.json.JsonCodec;
import dev.keel.core.json.JsonCodecException;
import org.junit.jupiter.api.Test;

class OrderContractTest {

    private final JsonCodec json = JsonCodec.tolerant();
    private final ShippingAddress address = new ShippingAddress("1 Main St", "Berlin", "10115", "DE");

    @Test
    void a_placed_order_survives_the_wire() {
        OrderPlaced placed = new OrderPlaced(OrderId.random(), UUID.randomUUID(), "Ada",
                List.of(new OrderLine("SKU-1", "Teapot", 2, new BigDecimal("19.90"))), new BigDecimal("39.80"),
                address, Instant.parse("2026-11-23T10:00:00Z"));

        assertThat(json.fromJson(json.toJson(placed), OrderPlaced.class)).isEqualTo(placed);
        assertThat(placed.lines().get(0).total()).isEqualByComparingTo("39.80");
    }

    @Test
    void a_place_order_request_is_checked_field_by_field() {
        JsonCodec strict = JsonCodec.strict();
        String valid = "{\"customerId\":\"" + UUID.randomUUID() + "\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":2}],"
                + "\"shippingAddress\":{\"street\":\"1 Main St\",\"city\":\"Berlin\",\"postalCode\":\"10115\",\"country\":\"DE\"}}";

        assertThat(strict.fromJson(valid, PlaceOrder.class).items()).hasSize(1);
        assertThatThrownBy(() -> strict.fromJson(valid.replace("\"quantity\":2", "\"quantity\":0"), PlaceOrder.class))
                .isInstanceOfSatisfying(JsonCodecException.class, e -> {
                    assertThat(e.reason()).isEqualTo("quantity must be positive, got 0");
                    assertThat(e.path()).isEqualTo("$.items[0]");
                });
        assertThatThrownBy(() -> strict.fromJson(valid.replace("\"items\":[{\"sku\":\"SKU-1\",\"quantity\":2}]", "\"items\":[]"), PlaceOrder.class))
                .isInstanceOfSatisfying(JsonCodecException.class, e -> assertThat(e.reason()).isEqualTo("items must not be empty"));
        assertThatThrownBy(() -> new ShippingAddress("1 Main St", "Berlin", "10115", "Germany"))
                .hasMessageContaining("two-letter ISO country code");
    }
}
