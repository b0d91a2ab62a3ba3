package dev.keel.composition;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of one downstream, registered once:
 * <ul>
 *   <li>{@code keel.composition.calls} (timer; tags {@code downstream}, {@code outcome}): every HTTP
 *       attempt and how long it took; outcome {@code ok} or a {@link Reason#code()};</li>
 *   <li>{@code keel.composition.failures} (counter; {@code downstream}, {@code reason}): calls that
 *       ended without a fresh value, after retries, including those never made (circuit open, bulkhead full);</li>
 *   <li>{@code keel.composition.fallbacks} (counter; {@code downstream}, {@code kind} = {@code stale} or {@code default});</li>
 *   <li>{@code keel.composition.cache} (counter; {@code downstream}, {@code result} = {@code hit} or {@code miss}).</li>
 * </ul>
 */
final class DownstreamMetrics {

    private final Timer ok;
    private final Map<Reason, Timer> failedCalls = new EnumMap<>(Reason.class);
    private final Map<Reason, Counter> failures = new EnumMap<>(Reason.class);
    private final Counter staleFallbacks;
    private final Counter defaultFallbacks;
    private final Counter cacheHits;
    private final Counter cacheMisses;

    DownstreamMetrics(String downstream, MeterRegistry registry) {
        ok = callTimer(registry, downstream, "ok");
        for (Reason reason : Reason.values()) {
            failedCalls.put(reason, callTimer(registry, downstream, reason.code()));
            failures.put(reason, Counter.builder("keel.composition.failures")
                    .description("calls to a downstream that ended without a fresh value, by reason")
                    .tags("downstream", downstream, "reason", reason.code())
                    .register(registry));
        }
        staleFallbacks = fallbackCounter(registry, downstream, "stale");
        defaultFallbacks = fallbackCounter(registry, downstream, "default");
        cacheHits = cacheCounter(registry, downstream, "hit");
        cacheMisses = cacheCounter(registry, downstream, "miss");
    }

    void attemptSucceeded(long nanos) {
        ok.record(nanos, TimeUnit.NANOSECONDS);
    }

    void attemptFailed(Reason reason, long nanos) {
        failedCalls.get(reason).record(nanos, TimeUnit.NANOSECONDS);
    }

    void failed(Reason reason) {
        failures.get(reason).increment();
    }

    void staleFallback() {
        staleFallbacks.increment();
    }

    void defaultFallback() {
        defaultFallbacks.increment();
    }

    void cacheHit() {
        cacheHits.increment();
    }

    void cacheMiss() {
        cacheMisses.increment();
    }

    private static Timer callTimer(MeterRegistry registry, String downstream, String outcome) {
        return Timer.builder("keel.composition.calls")
                .description("HTTP attempts made to a downstream and their latency, by outcome")
                .tags("downstream", downstream, "outcome", outcome)
                .register(registry);
    }

    private static Counter fallbackCounter(MeterRegistry registry, String downstream, String kind) {
        return Counter.builder("keel.composition.fallbacks")
                .description("failed calls whose answer a fallback stood in for")
                .tags("downstream", downstream, "kind", kind)
                .register(registry);
    }

    private static Counter cacheCounter(MeterRegistry registry, String downstream, String result) {
        return Counter.builder("keel.composition.cache")
                .description("lookups in a downstream's response cache")
                .tags("downstream", downstream, "result", result)
                .register(registry);
    }
}
