package dev.keel.shop.inventory.api;

import java.util.regex.Pattern;

import dev.keel.core.Require;

/** A quantity of one SKU. */
public record StockLine(String sku, int quantity) {

    private static final Pattern SKU = Pattern.compile("[A-Z0-9][A-Z0-9-]{0,39}");

    public StockLine {
        Require.matches(sku, SKU, "sku", "1-40 upper-case letters, digits and dashes");
        Require.atMost(Require.positive(quantity, "quantity"), 10_000, "quantity");
    }
}
