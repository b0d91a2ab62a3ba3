package dev.keel.shop.customer.api;

import java.util.regex.Pattern;

import dev.keel.core.Require;

/** Body of {@code POST /api/customers} and {@code PUT /api/customers/{id}}. */
public record CustomerDetails(String name, String email) {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,190}\\.[^@\\s]{2,63}");

    public CustomerDetails {
        name = Require.text(name, "name", 100);
        email = Require.matches(Require.text(email, "email", 254), EMAIL, "email", "an address like name@example.com");
    }
}
