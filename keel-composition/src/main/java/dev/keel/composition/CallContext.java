package dev.keel.composition;

import java.util.Objects;
import java.util.Optional;

import dev.keel.core.CorrelationId;
import dev.keel.core.Metadata;
import dev.keel.core.TraceParent;

/**
 * The flow a composition belongs to. Every downstream call carries its correlation id as
 * {@code X-Correlation-Id} and continues its trace as {@code traceparent} (a child span per call).
 */
public record CallContext(CorrelationId correlationId, TraceParent traceParent) {

    public static final String CORRELATION_HEADER = "X-Correlation-Id";
    public static final String TRACEPARENT_HEADER = "traceparent";

    public CallContext {
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(traceParent, "traceParent");
    }

    public static CallContext of(CorrelationId correlationId, TraceParent traceParent) {
        return new CallContext(correlationId, traceParent);
    }

    /** The flow of a message: its correlation id and trace (a new trace if it had none). */
    public static CallContext of(Metadata metadata) {
        return new CallContext(metadata.correlationId(), metadata.trace().orElseGet(TraceParent::newRoot));
    }

    /** A new flow: a fresh correlation id and a new trace. */
    public static CallContext newFlow() {
        return new CallContext(CorrelationId.random(), TraceParent.newRoot());
    }

    /**
     * The flow of an incoming HTTP request, from its {@code X-Correlation-Id} and {@code traceparent}
     * headers. A missing correlation id starts a new flow; a missing or malformed {@code traceparent}
     * starts a new trace, as W3C Trace Context says a receiver should. A malformed correlation id is
     * refused with an {@link IllegalArgumentException} that can be shown to the caller.
     */
    public static CallContext fromHeaders(Optional<String> correlationId, Optional<String> traceparent) {
        CorrelationId correlation = correlationId.filter(value -> !value.isBlank())
                .map(String::trim).map(CorrelationId::new).orElseGet(CorrelationId::random);
        TraceParent trace;
        try {
            trace = traceparent.map(TraceParent::parse).orElseGet(TraceParent::newRoot);
        } catch (IllegalArgumentException malformed) {
            trace = TraceParent.newRoot();
        }
        return new CallContext(correlation, trace);
    }
}
