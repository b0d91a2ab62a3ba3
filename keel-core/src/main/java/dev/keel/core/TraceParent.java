package dev.keel.core;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context {@code traceparent} ({@code 00-<trace id>-<parent span id>-<flags>}), carried
 * on every message and HTTP call so that a trace follows a flow across services and the broker.
 *
 * @param traceId 32 lower-case hex digits, not all zero
 * @param spanId  16 lower-case hex digits, not all zero: the span that sent the message
 * @param sampled whether the sender recorded its span
 */
public record TraceParent(String traceId, String spanId, boolean sampled) {

    private static final Pattern HEADER = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
    private static final HexFormat HEX = HexFormat.of();

    public TraceParent {
        if (traceId == null || !TRACE_ID.matcher(traceId).matches() || traceId.chars().allMatch(c -> c == '0')) {
            throw new IllegalArgumentException("a trace id is 32 lower-case hex digits, not all zero; got '" + traceId + "'");
        }
        if (spanId == null || !SPAN_ID.matcher(spanId).matches() || spanId.chars().allMatch(c -> c == '0')) {
            throw new IllegalArgumentException("a span id is 16 lower-case hex digits, not all zero; got '" + spanId + "'");
        }
    }

    /** The start of a new trace. */
    public static TraceParent newRoot() {
        return new TraceParent(randomHex(16), randomHex(8), true);
    }

    /** Parses a {@code traceparent} header value (version 00). */
    public static TraceParent parse(String header) {
        var matcher = header == null ? null : HEADER.matcher(header.trim());
        if (matcher == null || !matcher.matches()) {
            throw new IllegalArgumentException("not a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>): '" + header + "'");
        }
        int flags = Integer.parseInt(matcher.group(3), 16);
        return new TraceParent(matcher.group(1), matcher.group(2), (flags & 1) == 1);
    }

    /** The same trace, one span further: what a message caused by this one carries. */
    public TraceParent child() {
        return new TraceParent(traceId, randomHex(8), sampled);
    }

    /** The header value. */
    public String header() {
        return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
    }

    @Override
    public String toString() {
        return header();
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        do {
            ThreadLocalRandom.current().nextBytes(random);
        } while (allZero(random));
        return HEX.formatHex(random);
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
