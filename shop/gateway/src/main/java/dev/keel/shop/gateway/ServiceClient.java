package dev.keel.shop.gateway;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.keel.composition.CallContext;
import dev.keel.shop.gateway.Services.Service;
import dev.keel.shop.platform.Problem;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * One HTTP exchange with a service, as the gateway makes it for forwarded requests and admin operations:
 * bounded by the service's timeout, guarded by its circuit breaker, and carrying the flow's correlation id
 * and a child span of its trace. What cannot be answered becomes a {@link Problem} that names the service:
 * 503 when it refuses connections or its circuit is open, 504 when it is too slow, 502 when the exchange
 * breaks.
 *
 * <p>The circuit breaker counts like keel-composition's: timeouts, connection failures, 5xx, 408 and 429
 * are failures; every other answer (a 404, a 422) is a success, because the service worked and said no.
 */
public final class ServiceClient {

    /**
     * A request to send.
     *
     * @param method      the HTTP method
     * @param pathAndQuery the raw (encoded) path and query, from the service's root
     * @param headers     headers to pass on (not the correlation and trace headers, which come from the flow)
     * @param body        the body; empty for none
     */
    public record Call(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
        public Call {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(pathAndQuery, "pathAndQuery");
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
        }

        /** How the call is named in problems: method and path, never the host. */
        String describe() {
            int query = pathAndQuery.indexOf('?');
            return method + " " + (query < 0 ? pathAndQuery : pathAndQuery.substring(0, query));
        }

        boolean isSafe() {
            return method.equals("GET") || method.equals("HEAD");
        }
    }

    /** What an exchange came to. */
    public sealed interface Outcome permits Answered, Failed {
    }

    /** The service answered, with any status; the gateway passes it on unchanged. */
    public record Answered(int status, HttpHeaders headers, byte[] body) implements Outcome {
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    /** No answer; the problem says why and names the service. */
    public record Failed(Problem problem, Optional<Duration> retryAfter) implements Outcome {
    }

    private final HttpClient client;

    public ServiceClient(HttpClient client) {
        this.client = client;
    }

    public Outcome send(Service service, Call call, CallContext flow, Duration timeout) {
        CircuitBreaker circuitBreaker = service.downstream().circuitBreaker();
        if (!circuitBreaker.tryAcquirePermission()) {
            Duration openFor = Duration.ofMillis(circuitBreaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
            return new Failed(GatewayProblems.circuitOpen(service.name(), call.describe(), openFor), Optional.of(openFor));
        }
        HttpRequest request;
        try {
            request = request(service, call, flow, timeout);
        } catch (IllegalArgumentException malformed) {
            circuitBreaker.releasePermission();
            return new Failed(Problem.badRequest("the request cannot be passed on to the " + service.name() + " service: "
                    + malformed.getMessage()), Optional.empty());
        }
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException slow) {
            exchange.cancel(true);
            circuitBreaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, new ServiceFailedException(service.name(), "timeout"));
            return new Failed(GatewayProblems.timeout(service.name(), call.describe(), timeout, call.isSafe()), Optional.empty());
        } catch (InterruptedException interrupted) {
            exchange.cancel(true);
            circuitBreaker.releasePermission();
            Thread.currentThread().interrupt();
            return new Failed(GatewayProblems.unavailable(service.name(), call.describe(), "the gateway was interrupted"),
                    Optional.empty());
        } catch (ExecutionException broken) {
            Throwable cause = broken.getCause() == null ? broken : broken.getCause();
            circuitBreaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, new ServiceFailedException(service.name(), cause.toString()));
            return new Failed(connectionFailure(service, call, cause, timeout), Optional.empty());
        }
        long elapsed = System.nanoTime() - start;
        int status = response.statusCode();
        if (status >= 500 || status == 408 || status == 429) {
            circuitBreaker.onError(elapsed, TimeUnit.NANOSECONDS, new ServiceFailedException(service.name(), "HTTP " + status));
        } else {
            circuitBreaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
        }
        return new Answered(status, response.headers(), response.body());
    }

    private static Problem connectionFailure(Service service, Call call, Throwable cause, Duration timeout) {
        if (cause instanceof ConnectException) {
            return GatewayProblems.unavailable(service.name(), call.describe(), "it refused the connection; it may be down or restarting");
        }
        if (cause instanceof HttpConnectTimeoutException || cause instanceof HttpTimeoutException) {
            return GatewayProblems.timeout(service.name(), call.describe(), timeout, call.isSafe());
        }
        String message = cause.getMessage() == null || cause.getMessage().isBlank() ? cause.getClass().getSimpleName() : cause.getMessage();
        return GatewayProblems.badGateway(service.name(), call.describe(), message, call.isSafe());
    }

    private static HttpRequest request(Service service, Call call, CallContext flow, Duration timeout) {
        String base = service.baseUrl().toString();
        URI uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + call.pathAndQuery());
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header(CallContext.CORRELATION_HEADER, flow.correlationId().value())
                .header(CallContext.TRACEPARENT_HEADER, flow.traceParent().child().header());
        call.headers().forEach(builder::header);
        HttpRequest.BodyPublisher body = call.body().length == 0
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(call.body());
        return builder.method(call.method(), body).build();
    }

    /** What the circuit breaker records of a failed exchange; a value, without a stack trace. */
    static final class ServiceFailedException extends Exception {
        ServiceFailedException(String service, String what) {
            super(service + ": " + what, null, false, false);
        }
    }
}
