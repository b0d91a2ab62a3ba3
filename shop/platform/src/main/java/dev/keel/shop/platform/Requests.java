package dev.keel.shop.platform;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.keel.core.json.JsonCodec;
import dev.keel.core.json.JsonCodecException;
import io.javalin.http.Context;

/**
 * Reading input the strict way: a JSON body must be {@code application/json}, within the size limit,
 * well-formed, of the right types and without unknown fields; path and query parameters are checked.
 * Every failure is a {@link ProblemException} (400, 413 or 415) that says exactly what is wrong.
 */
public final class Requests {

    private static final JsonCodec STRICT = JsonCodec.strict();

    private Requests() {
    }

    /** The body decoded as {@code type}; a record's own validation runs and its message is reported. */
    public static <T> T body(Context ctx, Class<T> type) {
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "the request body must be application/json, got " + (contentType == null ? "no content type" : contentType)));
        }
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw new ProblemException(Problem.validation("the request body is empty; a JSON object is expected", List.of()));
        }
        try {
            return STRICT.fromBytes(bytes, type);
        } catch (JsonCodecException e) {
            throw new ProblemException(Problem.validation(e.getMessage(),
                    List.of(new Problem.FieldError(e.path(), e.reason()))));
        }
    }

    /**
     * Refuses text with control characters (a NUL cannot even be stored in PostgreSQL), naming the
     * field as the JSON path the client sent ({@code $.name}); returns the text.
     */
    public static String printable(String value, String field) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw ProblemException.invalid("$." + field, field + " must not contain control characters (found U+"
                        + String.format("%04X", (int) value.charAt(i)) + " at position " + i + ")");
            }
        }
        return value;
    }

    public static UUID pathUuid(Context ctx, String name) {
        String value = ctx.pathParam(name);
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(name, name + " must be a UUID, got '" + value + "'");
        }
    }

    /** An integer query parameter within bounds, or the default when absent. */
    public static int queryInt(Context ctx, String name, int defaultValue, int min, int max) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(name, name + " must be an integer from " + min + " to " + max + ", got '" + value + "'");
        }
    }

    public static Optional<String> query(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).map(String::trim).filter(s -> !s.isEmpty());
    }
}
