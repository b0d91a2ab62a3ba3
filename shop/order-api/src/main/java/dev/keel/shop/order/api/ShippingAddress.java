package dev.keel.shop.order.api;

import java.util.regex.Pattern;

import dev.keel.core.Require;

/** Where the order goes; {@code country} is an ISO 3166-1 alpha-2 code. */
public record ShippingAddress(String street, String city, String postalCode, String country) {

    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    public ShippingAddress {
        street = Require.text(street, "street", 200);
        city = Require.text(city, "city", 100);
        postalCode = Require.text(postalCode, "postalCode", 20);
        Require.matches(country, COUNTRY, "country", "a two-letter ISO country code like DE");
    }
}
