package dev.keel.shop.platform;

import java.time.Clock;

import dev.keel.core.CorrelationId;
import dev.keel.core.Metadata;
import dev.keel.core.TraceParent;
import io.javalin.http.Context;

/**
 * The correlation id and trace context of the request being handled. The chassis reads them from the
 * {@code X-Correlation-Id} and {@code traceparent} headers (or makes new ones) before any handler runs
 * and echoes the correlation id in the response; messages a handler sends carry {@link #metadata}.
 */
public final class RequestContext {

    public static final String CORRELATION_HEADER = "X-Correlation-Id";
    public static final String TRACEPARENT_HEADER = "traceparent";
    static final String CORRELATION_ATTRIBUTE = "keel.correlation";
    static final String TRACE_ATTRIBUTE = "keel.trace";

    private RequestContext() {
    }

    public static CorrelationId correlationId(Context ctx) {
        CorrelationId id = ctx.attribute(CORRELATION_ATTRIBUTE);
        return id != null ? id : CorrelationId.random();
    }

    public static TraceParent traceParent(Context ctx) {
        TraceParent trace = ctx.attribute(TRACE_ATTRIBUTE);
        return trace != null ? trace : TraceParent.newRoot();
    }

    /** Metadata for a message this request causes: the request's flow and trace, a new message id. */
    public static Metadata metadata(Context ctx, Clock clock) {
        return Metadata.inFlow(correlationId(ctx), traceParent(ctx), clock);
    }

    static void begin(Context ctx) {
        CorrelationId correlation;
        try {
            String header = ctx.header(CORRELATION_HEADER);
            correlation = header == null ? CorrelationId.random() : new CorrelationId(header);
        } catch (IllegalArgumentException invalid) {
            correlation = CorrelationId.random();
        }
        TraceParent trace;
        try {
            String header = ctx.header(TRACEPARENT_HEADER);
            trace = header == null ? TraceParent.newRoot() : TraceParent.parse(header).child();
        } catch (IllegalArgumentException invalid) {
            trace = TraceParent.newRoot();
        }
        ctx.attribute(CORRELATION_ATTRIBUTE, correlation);
        ctx.attribute(TRACE_ATTRIBUTE, trace);
        ctx.header(CORRELATION_HEADER, correlation.value());
        org.slf4j.MDC.put("correlationId", correlation.value());
    }

    static void end() {
        org.slf4j.MDC.remove("correlationId");
    }
}
