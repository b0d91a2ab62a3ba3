package dev.keel.composition;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;

/**
 * A downstream service that compositions call: a name (used in metrics, details and as the name of its
 * circuit breaker), a base URI and its {@link DownstreamOptions}. Made by
 * {@link Composer#downstream(String, URI, DownstreamOptions)}, shared by every composition of that
 * composer, and safe to use from many threads: its circuit breaker, bulkhead, cache and last good
 * answers are the downstream's, not a composition's.
 */
public final class Downstream {

    private final String name;
    private final URI baseUri;
    private final String base;
    private final DownstreamOptions options;
    private final HttpClient client;
    private final Clock clock;
    private final CircuitBreaker circuitBreaker;
    private final Optional<Retry> retry;
    private final Optional<Bulkhead> bulkhead;
    private final Optional<ResponseStore> cache;
    private final ResponseStore lastGood;
    private final DownstreamMetrics metrics;

    Downstream(String name, URI baseUri, DownstreamOptions options, HttpClient client, Clock clock,
               CircuitBreaker circuitBreaker, Optional<Retry> retry, Optional<Bulkhead> bulkhead, DownstreamMetrics metrics) {
        this.name = name;
        this.baseUri = baseUri;
        String text = baseUri.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.options = options;
        this.client = client;
        this.clock = clock;
        this.circuitBreaker = circuitBreaker;
        this.retry = retry;
        this.bulkhead = bulkhead;
        this.cache = options.cache().map(policy -> new ResponseStore(policy.maxEntries()));
        this.lastGood = new ResponseStore(options.lastGoodEntries());
        this.metrics = metrics;
    }

    public String name() {
        return name;
    }

    public URI baseUri() {
        return baseUri;
    }

    public DownstreamOptions options() {
        return options;
    }

    /** Its Resilience4j circuit breaker, for health pages and dashboards (state, failure rate, events). */
    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    @Override
    public String toString() {
        return "Downstream[" + name + " at " + baseUri + "]";
    }

    URI resolve(String path) {
        try {
            return URI.create(base + path);
        } catch (IllegalArgumentException malformed) {
            throw new IllegalArgumentException("'" + path + "' is not a valid path for " + name + ": " + malformed.getMessage(), malformed);
        }
    }

    Clock clock() {
        return clock;
    }

    Optional<ResponseStore> cache() {
        return cache;
    }

    ResponseStore lastGood() {
        return lastGood;
    }

    DownstreamMetrics metrics() {
        return metrics;
    }

    /** What one call came to, after retries: an answer to decode (2xx, or 404), or a failure. */
    sealed interface Outcome {
    }

    record Answered(int status, byte[] body) implements Outcome {
    }

    record Failed(Failure failure) implements Outcome {
    }

    /**
     * Makes the call, retrying a GET after transient failures when the options say so, and never
     * past {@code deadlineNanos} (a {@link System#nanoTime()} value). Throws InterruptedException when
     * the composition abandons the call; the HTTP exchange is then cancelled and its connection closed.
     */
    Outcome exchange(Request<?> request, Optional<byte[]> body, CallContext context, long deadlineNanos, Duration deadline)
            throws InterruptedException {
        Optional<Retry.AsyncContext<Object>> retrying = request.isIdempotent() ? retry.map(Retry::asyncContext) : Optional.empty();
        while (true) {
            Outcome outcome = attempt(request, body, context, deadlineNanos, deadline);
            if (retrying.isEmpty()) {
                return outcome;
            }
            Retry.AsyncContext<Object> attempts = retrying.get();
            if (!(outcome instanceof Failed failed)) {
                attempts.onComplete();
                return outcome;
            }
            boolean retryable = failed.failure().isTransient() && isRetryableReason(failed.failure().reason());
            long waitMillis = attempts.onError(new AttemptFailedException(failed.failure(), retryable));
            if (waitMillis < 0 || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis) >= deadlineNanos) {
                return outcome;
            }
            Thread.sleep(waitMillis);
        }
    }

    private static boolean isRetryableReason(Reason reason) {
        return reason == Reason.TIMEOUT || reason == Reason.CONNECTION_REFUSED || reason == Reason.IO_ERROR
                || reason == Reason.ERROR_STATUS;
    }

    private Outcome attempt(Request<?> request, Optional<byte[]> body, CallContext context, long deadlineNanos, Duration deadline)
            throws InterruptedException {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            return new Failed(Failure.deadline(name, request.describe(), deadline));
        }
        long callTimeout = options.callTimeout().toNanos();
        boolean cutByDeadline = remaining < callTimeout;
        long budget = Math.min(remaining, callTimeout);

        if (!circuitBreaker.tryAcquirePermission()) {
            return new Failed(Failure.circuitOpen(name));
        }
        if (bulkhead.isPresent() && !bulkhead.get().tryAcquirePermission()) {
            circuitBreaker.releasePermission();
            if (Thread.interrupted()) {
                throw new InterruptedException("abandoned while waiting for a slot in the bulkhead of " + name);
            }
            return new Failed(Failure.bulkheadFull(name, bulkhead.get().getBulkheadConfig().getMaxConcurrentCalls()));
        }
        long start = System.nanoTime();
        try {
            CompletableFuture<HttpResponse<byte[]>> call;
            try {
                call = client.sendAsync(httpRequest(request, body, context), HttpResponse.BodyHandlers.ofByteArray());
            } catch (RuntimeException refused) {
                // the client refused the request before sending it (a closed client, say)
                circuitBreaker.releasePermission();
                return new Failed(Failure.requestError(refused));
            }
            HttpResponse<byte[]> response;
            try {
                response = call.get(budget, TimeUnit.NANOSECONDS);
            } catch (TimeoutException slow) {
                call.cancel(true);
                long elapsed = System.nanoTime() - start;
                if (cutByDeadline) {
                    // the deadline, not the downstream, ended this call: it says nothing about its health
                    circuitBreaker.releasePermission();
                    metrics.attemptFailed(Reason.DEADLINE, elapsed);
                    return new Failed(Failure.deadline(name, request.describe(), deadline));
                }
                Failure failure = Failure.timeout(name, request.describe(), options.callTimeout());
                circuitBreaker.onError(elapsed, TimeUnit.NANOSECONDS, new AttemptFailedException(failure, true));
                metrics.attemptFailed(Reason.TIMEOUT, elapsed);
                return new Failed(failure);
            } catch (InterruptedException abandoned) {
                call.cancel(true);
                circuitBreaker.releasePermission();
                metrics.attemptFailed(Reason.CANCELLED, System.nanoTime() - start);
                throw abandoned;
            } catch (ExecutionException broken) {
                long elapsed = System.nanoTime() - start;
                Failure failure = connectionFailure(request, broken.getCause() == null ? broken : broken.getCause());
                circuitBreaker.onError(elapsed, TimeUnit.NANOSECONDS, new AttemptFailedException(failure, true));
                metrics.attemptFailed(failure.reason(), elapsed);
                return new Failed(failure);
            }
            return answered(request, response, System.nanoTime() - start);
        } finally {
            bulkhead.ifPresent(Bulkhead::onComplete);
        }
    }

    private Outcome answered(Request<?> request, HttpResponse<byte[]> response, long elapsed) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            circuitBreaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
            metrics.attemptSucceeded(elapsed);
            return new Answered(status, response.body());
        }
        if (status == 404) {
            circuitBreaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
            metrics.attemptFailed(Reason.NOT_FOUND, elapsed);
            return new Answered(status, response.body());
        }
        Failure failure = Failure.errorStatus(name, request.describe(), status);
        if (status >= 500 || status == 408 || status == 429) {
            circuitBreaker.onError(elapsed, TimeUnit.NANOSECONDS, new AttemptFailedException(failure, failure.isTransient()));
        } else {
            // another 4xx: the downstream is healthy and said no
            circuitBreaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
        }
        metrics.attemptFailed(Reason.ERROR_STATUS, elapsed);
        return new Failed(failure);
    }

    private Failure connectionFailure(Request<?> request, Throwable cause) {
        if (cause instanceof ConnectException) {
            return Failure.connectionRefused(name, request.describe());
        }
        if (cause instanceof HttpConnectTimeoutException || cause instanceof HttpTimeoutException) {
            return Failure.timeout(name, request.describe(), options.callTimeout());
        }
        // any other IOException (reset, closed early, unknown host), or the client's own failure
        return Failure.ioError(name, request.describe(), cause);
    }

    private HttpRequest httpRequest(Request<?> request, Optional<byte[]> body, CallContext context) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                .header(CallContext.CORRELATION_HEADER, context.correlationId().value())
                .header(CallContext.TRACEPARENT_HEADER, context.traceParent().child().header());
        boolean accept = false;
        boolean contentType = false;
        for (Request.Header header : request.headers()) {
            builder.header(header.name(), header.value());
            accept |= header.name().equalsIgnoreCase("Accept");
            contentType |= header.name().equalsIgnoreCase("Content-Type");
        }
        if (!accept) {
            builder.header("Accept", "application/json");
        }
        if (body.isPresent()) {
            if (!contentType) {
                builder.header("Content-Type", "application/json");
            }
            builder.method(request.method(), HttpRequest.BodyPublishers.ofByteArray(body.get()));
        } else {
            builder.method(request.method(), HttpRequest.BodyPublishers.noBody());
        }
        return builder.build();
    }

    /** What Resilience4j sees of a failed attempt; no stack trace, it is a value. */
    static final class AttemptFailedException extends Exception {

        private final Failure failure;
        private final boolean retryable;

        AttemptFailedException(Failure failure, boolean retryable) {
            super(failure.detail(), null, false, false);
            this.failure = failure;
            this.retryable = retryable;
        }

        Failure failure() {
            return failure;
        }

        boolean retryable() {
            return retryable;
        }
    }
}
