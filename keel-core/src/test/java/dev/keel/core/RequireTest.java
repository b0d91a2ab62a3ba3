package dev.keel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class RequireTest {

    @Test
    void passes_good_values_through() {
        assertThat(Require.text("  Ada  ", "name", 10)).isEqualTo("Ada");
        assertThat(Require.positive(3, "quantity")).isEqualTo(3);
        assertThat(Require.money(new BigDecimal("19.90"), "price")).isEqualByComparingTo("19.9");
        assertThat(Require.notEmpty(List.of(1), "lines", 5)).containsExactly(1);
    }

    @Test
    void names_the_field_and_the_bad_value() {
        assertThatThrownBy(() -> Require.text(" ", "name", 10)).hasMessage("name must not be blank");
        assertThatThrownBy(() -> Require.text("abcdef", "name", 3)).hasMessage("name must be at most 3 characters, got 6");
        assertThatThrownBy(() -> Require.positive(0, "quantity")).hasMessage("quantity must be positive, got 0");
        assertThatThrownBy(() -> Require.atMost(11, 10, "quantity")).hasMessage("quantity must be at most 10, got 11");
        assertThatThrownBy(() -> Require.money(new BigDecimal("-1"), "price")).hasMessage("price must be positive, got -1");
        assertThatThrownBy(() -> Require.money(new BigDecimal("1.234"), "price"))
                .hasMessage("price must have at most two decimal places, got 1.234");
        assertThatThrownBy(() -> Require.present(null, "customerId")).hasMessage("customerId is required");
        assertThatThrownBy(() -> Require.notEmpty(List.of(), "lines", 5)).hasMessage("lines must not be empty");
        assertThatThrownBy(() -> Require.notEmpty(Arrays.asList(1, null), "lines", 5)).hasMessage("lines must not contain null entries");
        assertThatThrownBy(() -> Require.matches("x", Pattern.compile("[0-9]+"), "code", "digits")).hasMessage("code must be digits, got 'x'");
    }
}
