package dev.keel.core;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Checks for the compact constructors of records that carry input — messages, commands, request
 * bodies — so that bad input fails where it enters, with a message naming the field and the value
 * ({@code "quantity must be positive, got 0"}). Each check returns the value, for use in assignments.
 * Failures are {@link IllegalArgumentException}s; the JSON codec and the HTTP chassis report their
 * messages as they are.
 */
public final class Require {

    private Require() {
    }

    public static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    /** Non-blank text of at most {@code maxLength} characters, trimmed. */
    public static String text(String value, String field, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        String trimmed = value.strip();
        if (trimmed.length() > maxLength) {
            throw new IllegalArgumentException(field + " must be at most " + maxLength + " characters, got " + trimmed.length());
        }
        return trimmed;
    }

    public static String matches(String value, Pattern pattern, String field, String expectation) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be " + expectation + ", got " + (value == null ? "nothing" : "'" + value + "'"));
        }
        return value;
    }

    public static int positive(int value, String field) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
        return value;
    }

    public static int atMost(int value, int max, String field) {
        if (value > max) {
            throw new IllegalArgumentException(field + " must be at most " + max + ", got " + value);
        }
        return value;
    }

    /** A positive amount of money with at most two decimal places. */
    public static BigDecimal money(BigDecimal amount, String field) {
        present(amount, field);
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + amount.toPlainString());
        }
        if (amount.stripTrailingZeros().scale() > 2) {
            throw new IllegalArgumentException(field + " must have at most two decimal places, got " + amount.toPlainString());
        }
        return amount;
    }

    public static <C extends Collection<?>> C notEmpty(C values, String field, int maxSize) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        if (values.size() > maxSize) {
            throw new IllegalArgumentException(field + " must have at most " + maxSize + " entries, got " + values.size());
        }
        for (Object value : values) {
            // a loop, not contains(null): immutable collections throw on contains(null)
            if (value == null) {
                throw new IllegalArgumentException(field + " must not contain null entries");
            }
        }
        return values;
    }
}
