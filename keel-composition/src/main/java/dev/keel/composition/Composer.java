package dev.keel.composition;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.keel.core.json.JsonCodec;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The entry point of API composition: it knows the downstream services and starts compositions.
 * Make one per application and share it; it is thread-safe.
 *
 * <pre>{@code
 * Composer composer = Composer.builder().meterRegistry(registry).build();
 * Downstream orders = composer.downstream("order", URI.create("http://orders:8080"),
 *         DownstreamOptions.defaults().callTimeout(Duration.ofMillis(300)).retry(RetryPolicy.attempts(2)));
 * Composition details = composer.composition(CallContext.of(correlationId, traceParent), Duration.ofMillis(800));
 * }</pre>
 *
 * <p>Besides each downstream's meters (see {@link Downstream}), it times every run as
 * {@code keel.composition.runs} with the tag {@code outcome} = {@code complete}, {@code partial} or
 * {@code failed}, and publishes the Resilience4j meters of its circuit breakers, retries and bulkheads
 * ({@code resilience4j.circuitbreaker.*}, ...).
 */
public final class Composer implements AutoCloseable {

    private static final Pattern DOWNSTREAM_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final HttpClient client;
    private final boolean ownsClient;
    private final MeterRegistry meterRegistry;
    private final Clock clock;
    private final JsonCodec codec;
    private final ThreadFactory threads;
    private final CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.ofDefaults();
    private final RetryRegistry retries = RetryRegistry.ofDefaults();
    private final BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
    private final Map<String, Downstream> downstreams = new ConcurrentHashMap<>();
    private final Map<String, Timer> runTimers = new ConcurrentHashMap<>();

    private Composer(Builder builder) {
        this.ownsClient = builder.client.isEmpty();
        this.client = builder.client.orElseGet(() -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
        this.meterRegistry = builder.meterRegistry;
        this.clock = builder.clock;
        this.codec = builder.codec;
        this.threads = Thread.ofVirtual().name("keel-composition-", 0).factory();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(circuitBreakers).bindTo(meterRegistry);
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meterRegistry);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meterRegistry);
        for (String outcome : new String[] {"complete", "partial", "failed"}) {
            runTimers.put(outcome, Timer.builder("keel.composition.runs")
                    .description("compositions run, by outcome: every part complete, some not, or a required part missing")
                    .tag("outcome", outcome)
                    .register(meterRegistry));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A downstream with {@link DownstreamOptions#defaults()}. */
    public Downstream downstream(String name, URI baseUri) {
        return downstream(name, baseUri, DownstreamOptions.defaults());
    }

    /**
     * Registers a downstream service. The name must be unique in this composer: it names the
     * downstream's circuit breaker, its meters and it appears in failure details.
     *
     * @param baseUri an absolute {@code http} or {@code https} URI, optionally with a base path; request paths are appended to it
     */
    public Downstream downstream(String name, URI baseUri, DownstreamOptions options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(options, "options");
        if (!DOWNSTREAM_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a downstream name is 1 to 64 letters, digits, '_', '.' or '-', got '" + name + "'");
        }
        if (!baseUri.isAbsolute() || !("http".equals(baseUri.getScheme()) || "https".equals(baseUri.getScheme()))
                || baseUri.getHost() == null || baseUri.getRawQuery() != null || baseUri.getRawFragment() != null) {
            throw new IllegalArgumentException("the base URI of downstream '" + name
                    + "' must be an absolute http(s) URI with a host and without query or fragment, got '" + baseUri + "'");
        }
        return downstreams.compute(name, (key, existing) -> {
            if (existing != null) {
                throw new IllegalArgumentException("a downstream named '" + name + "' is already registered with this composer");
            }
            CircuitBreaker circuitBreaker = circuitBreakers.circuitBreaker(name, options.circuitBreaker());
            Optional<Retry> retry = options.retry().map(policy -> retries.retry(name, RetryConfig.custom()
                    .maxAttempts(policy.maxAttempts())
                    .intervalFunction(IntervalFunction.ofExponentialBackoff(policy.initialBackoff(), policy.backoffMultiplier()))
                    .retryOnException(failure -> failure instanceof Downstream.AttemptFailedException attempt && attempt.retryable())
                    .build()));
            Optional<Bulkhead> bulkhead = options.bulkhead().map(policy -> bulkheads.bulkhead(name, BulkheadConfig.custom()
                    .maxConcurrentCalls(policy.maxConcurrentCalls())
                    .maxWaitDuration(policy.maxWait())
                    .build()));
            return new Downstream(name, baseUri, options, client, clock, circuitBreaker, retry, bulkhead,
                    new DownstreamMetrics(name, meterRegistry));
        });
    }

    /** A new composition in the given flow; its parts must all be settled within {@code deadline}. */
    public Composition composition(CallContext context, Duration deadline) {
        return new Composition(this, context, deadline);
    }

    public JsonCodec codec() {
        return codec;
    }

    public Clock clock() {
        return clock;
    }

    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** Stops the HTTP client this composer made (one passed in is left alone), cancelling calls under way. */
    @Override
    public void close() {
        if (ownsClient) {
            client.shutdownNow();
        }
    }

    ExecutorService newRunExecutor() {
        return Executors.newThreadPerTaskExecutor(threads);
    }

    void recordRun(String outcome, long nanos) {
        runTimers.get(outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    public static final class Builder {

        private Optional<HttpClient> client = Optional.empty();
        private MeterRegistry meterRegistry = new SimpleMeterRegistry();
        private Clock clock = Clock.systemUTC();
        private JsonCodec codec = JsonCodec.tolerant();

        private Builder() {
        }

        /**
         * The HTTP client to call downstreams with; by default one of its own (HTTP/1.1, no redirects),
         * closed with the composer. Downstream calls are bounded by Keel's timeouts, whatever the client's.
         */
        public Builder httpClient(HttpClient httpClient) {
            this.client = Optional.of(Objects.requireNonNull(httpClient, "httpClient"));
            return this;
        }

        /** Where the meters go; by default a {@link SimpleMeterRegistry} of its own. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * The clock that dates cached and last good answers (their age and time to live); a
         * {@code ManualClock} in tests. Deadlines and timeouts run on {@link System#nanoTime()}.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The codec that decodes answers and writes request bodies; {@link JsonCodec#tolerant()} by default. */
        public Builder codec(JsonCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        public Composer build() {
            return new Composer(this);
        }
    }
}
