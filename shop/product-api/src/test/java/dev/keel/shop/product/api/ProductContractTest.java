package dev.keel.shop.product.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;

import dev.keel.core.json.JsonCodec;
import org.junit.jupiter.api.Test;

class ProductContractTest {

    private final JsonCodec json = JsonCodec.tolerant();

    @Test
    void events_survive_the_wire_with_exact_prices() {
        ProductAdded added = new ProductAdded(new Sku("SKU-1"), "Teapot", new BigDecimal("19.90"), Instant.parse("2026-11-23T10:00:00Z"));
        ProductChanged changed = new ProductChanged(new Sku("SKU-1"), "Teapot", new BigDecimal("24.90"), new BigDecimal("19.90"));

        assertThat(json.fromJson(json.toJson(added), ProductAdded.class)).isEqualTo(added);
        assertThat(json.fromJson(json.toJson(changed), ProductChanged.class)).isEqualTo(changed);
    }

    @Test
    void refuses_bad_skus_and_prices() {
        assertThatThrownBy(() -> new Sku("lower-case")).hasMessageContaining("sku must be 1-40 upper-case");
        assertThatThrownBy(() -> new NewProduct(new Sku("A"), "x", new BigDecimal("0"))).hasMessage("price must be positive, got 0");
        assertThatThrownBy(() -> new ProductUpdate("x", new BigDecimal("1.999"))).hasMessageContaining("two decimal places");
    }
}
