package dev.keel.core;

import java.util.regex.Pattern;

/**
 * A business rule said no: a stable {@code code} that programs can act on and that names a problem
 * type on HTTP ({@code order-already-shipped}), and a {@code message} for people.
 *
 * @param code    1-100 characters of lower-case letters, digits, '-', '_' and '.'
 * @param message a non-blank explanation
 */
public record Rejection(String code, String message) {

    private static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    public Rejection {
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("a rejection code is 1-100 of [a-z0-9._-], starting with a letter or digit; got '"
                    + code + "'");
        }
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("rejection " + code + " needs a message");
        }
    }

    @Override
    public String toString() {
        return code + ": " + message;
    }
}
