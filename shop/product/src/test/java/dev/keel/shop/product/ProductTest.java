package dev.keel.shop.product;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;

import dev.keel.shop.product.api.NewProduct;
import dev.keel.shop.product.api.ProductAdded;
import dev.keel.shop.product.api.ProductChanged;
import dev.keel.shop.product.api.ProductUpdate;
import dev.keel.shop.product.api.Sku;
import org.junit.jupiter.api.Test;

class ProductTest {

    static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    static final Sku KETTLE = new Sku("KETTLE-1");

    @Test
    void an_addition_makes_version_1_with_the_price_in_cents_and_announces_it() {
        Product.Added added = Product.add(new NewProduct(KETTLE, "Kettle", new BigDecimal("25.5")), NOW);

        assertThat(added.product()).isEqualTo(new Product(KETTLE, "Kettle", new BigDecimal("25.50"), 1));
        assertThat(added.event()).isEqualTo(new ProductAdded(KETTLE, "Kettle", new BigDecimal("25.50"), NOW));
    }

    @Test
    void a_price_change_announces_the_full_state_and_the_previous_price() {
        Product kettle = new Product(KETTLE, "Kettle", new BigDecimal("25.50"), 2);

        Product.Changed changed = kettle.change(new ProductUpdate("Kettle", new BigDecimal("27"))).orElseThrow();

        assertThat(changed.product()).isEqualTo(new Product(KETTLE, "Kettle", new BigDecimal("27.00"), 3));
        assertThat(changed.event()).isEqualTo(new ProductChanged(KETTLE, "Kettle", new BigDecimal("27.00"), new BigDecimal("25.50")));
    }

    @Test
    void a_rename_keeps_the_price_and_says_so() {
        Product kettle = new Product(KETTLE, "Kettle", new BigDecimal("25.50"), 1);

        ProductChanged event = kettle.change(new ProductUpdate("Electric kettle", new BigDecimal("25.50"))).orElseThrow().event();

        assertThat(event.previousPrice()).isEqualTo(event.price());
        assertThat(event.name()).isEqualTo("Electric kettle");
    }

    @Test
    void the_same_name_and_price_written_differently_are_no_change() {
        Product kettle = new Product(KETTLE, "Kettle", new BigDecimal("25.50"), 1);

        assertThat(kettle.change(new ProductUpdate("Kettle", new BigDecimal("25.5")))).isEmpty();
    }
}
