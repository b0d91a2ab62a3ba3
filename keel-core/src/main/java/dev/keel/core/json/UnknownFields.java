package dev.keel.core.json;

/**
 * What decoding does with a JSON field the target type does not have.
 *
 * <p>Stored events and messages from other services use {@link #IGNORE}: a newer producer may add
 * fields, and a tolerant reader keeps working (the usual rule for evolving event schemas). Input from
 * users (HTTP request bodies) uses {@link #FAIL}: a misspelt field is a mistake to report, not to drop.
 */
public enum UnknownFields {
    IGNORE,
    FAIL
}
