package dev.keel.shop.shipping.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;

import dev.keel.core.json.JsonCodec;
import org.junit.jupiter.api.Test;

class ShippingContractTest {

    @Test
    void commands_and_events_survive_the_wire() {
        JsonCodec json = JsonCodec.tolerant();
        CreateShipment create = new CreateShipment(UUID.randomUUID(), UUID.randomUUID(), new Address("1 Main St", "Berlin", "10115", "DE"), 3);
        ShipmentShipped shipped = new ShipmentShipped(create.orderId(), UUID.randomUUID(), Instant.parse("2026-11-23T10:00:00Z"));

        assertThat(json.fromJson(json.toJson(create), CreateShipment.class)).isEqualTo(create);
        assertThat(json.fromJson(json.toJson(shipped), ShipmentShipped.class)).isEqualTo(shipped);
    }

    @Test
    void refuses_an_unknown_country_format() {
        assertThatThrownBy(() -> new Address("1 Main St", "Berlin", "10115", "de")).hasMessageContaining("two-letter ISO country code");
    }
}
