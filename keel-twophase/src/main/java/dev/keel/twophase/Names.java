package dev.keel.twophase;

import java.util.regex.Pattern;

/**
 * Coordinator ids and participant names go into global transaction ids, which are SQL literals
 * ({@code PREPARE TRANSACTION} takes no parameters) and are split on {@code ':'} by recovery: only
 * plain lower-case names are accepted.
 */
final class Names {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private Names() {
    }

    static String check(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must be 1 to 63 characters of a-z, 0-9, '_' and '-', starting with a letter"
                    + " or digit, got '" + name + "'");
        }
        return name;
    }
}
