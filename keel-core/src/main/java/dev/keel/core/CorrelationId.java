package dev.keel.core;

import java.util.regex.Pattern;

/**
 * Ties together every message, request and log line that belongs to one business flow (all the
 * messages of one order's saga, say). It often arrives from outside (an {@code X-Correlation-Id}
 * header), so it is free text, but bounded: 1 to 128 visible ASCII characters.
 */
public record CorrelationId(String value) implements TypedId<String> {

    private static final Pattern ALLOWED = Pattern.compile("[\\x21-\\x7E]{1,128}");

    public CorrelationId {
        if (value == null || !ALLOWED.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "a correlation id is 1 to 128 visible ASCII characters without spaces, got '" + value + "'");
        }
    }

    public static CorrelationId random() {
        return new CorrelationId(Uuids.timeOrdered().toString());
    }

    /** The correlation id a flow started by this message gets: the message's own id. */
    public static CorrelationId of(MessageId origin) {
        return new CorrelationId(origin.value().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
