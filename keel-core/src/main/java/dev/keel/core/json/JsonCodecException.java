package dev.keel.core.json;

import dev.keel.core.NonTransientException;

/**
 * JSON that cannot be read as the wanted type, or a value that cannot be written. Never transient:
 * the same bytes fail the same way. The message names the target type, the reason and where in the
 * document it happened ({@code $.items[0].quantity}), so it can be shown to whoever sent the input.
 */
public final class JsonCodecException extends NonTransientException {

    private final String targetType;
    private final String path;
    private final String reason;

    JsonCodecException(String targetType, String path, String reason, Throwable cause) {
        super("cannot read " + targetType + " from JSON: " + reason + (path.equals("$") ? "" : " at " + path), cause);
        this.targetType = targetType;
        this.path = path;
        this.reason = reason;
    }

    JsonCodecException(String message, Throwable cause) {
        super(message, cause);
        this.targetType = "";
        this.path = "$";
        this.reason = message;
    }

    /** The simple name of the type that was being read. */
    public String targetType() {
        return targetType;
    }

    /** A JSONPath-like location of the problem, {@code $} for the whole document. */
    public String path() {
        return path;
    }

    /** The reason alone, without type and path. */
    public String reason() {
        return reason;
    }
}
