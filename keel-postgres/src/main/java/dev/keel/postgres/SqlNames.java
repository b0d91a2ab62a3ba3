package dev.keel.postgres;

import java.util.regex.Pattern;

/**
 * Schema and table names that Keel puts into SQL text (they cannot be bind parameters). Only plain
 * lower-case identifiers are accepted, so no name can change the meaning of a statement.
 */
public final class SqlNames {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private SqlNames() {
    }

    /** Checks a schema, table or channel name; returns it. */
    public static String identifier(String name, String what) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must be a lower-case SQL identifier ([a-z_][a-z0-9_]*, at most 63"
                    + " characters), got '" + name + "'");
        }
        return name;
    }

    /** {@code schema.table}, both checked. */
    public static String qualified(String schema, String table) {
        return identifier(schema, "schema") + "." + identifier(table, "table");
    }
}
