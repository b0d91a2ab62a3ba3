package dev.keel.shop.product.api;

import java.util.regex.Pattern;

import dev.keel.core.Require;
import dev.keel.core.TypedId;

/** A product's stock-keeping unit: 1-40 upper-case letters, digits and dashes, e.g. {@code SKU-10042}. */
public record Sku(String value) implements TypedId<String> {

    private static final Pattern FORMAT = Pattern.compile("[A-Z0-9][A-Z0-9-]{0,39}");

    public Sku {
        Require.matches(value, FORMAT, "sku", "1-40 upper-case letters, digits and dashes");
    }

    @Override
    public String toString() {
        return value;
    }
}
