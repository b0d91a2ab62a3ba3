package dev.keel.shop.gateway.routing;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.keel.composition.CallContext;
import dev.keel.shop.gateway.GatewayProblems;
import dev.keel.shop.gateway.GatewayRoutes;
import dev.keel.shop.gateway.ServiceClient;
import dev.keel.shop.gateway.ServiceClient.Answered;
import dev.keel.shop.gateway.ServiceClient.Call;
import dev.keel.shop.gateway.ServiceClient.Failed;
import dev.keel.shop.gateway.Services;
import dev.keel.shop.gateway.Services.Service;
import dev.keel.shop.platform.Problem;
import dev.keel.shop.platform.ProblemException;
import dev.keel.shop.platform.RequestContext;
import dev.keel.shop.platform.ServiceHttp;
import io.javalin.http.Context;

/**
 * Forwards {@code /api/<resource>/**} to the service that owns the resource, unchanged: method, path,
 * query, body, {@code Content-Type}, {@code Accept} and {@code Idempotency-Key} go out; the flow's
 * {@code X-Correlation-Id} and a child span of its {@code traceparent} go with them; status, body
 * (problem details included) and {@code Content-Type}, {@code Location}, {@code Retry-After},
 * {@code ETag} and {@code Cache-Control} come back. A service that cannot answer gets a problem that
 * names it (see {@link ServiceClient}).
 */
public final class Forwarding {

    /** Which service owns which resource (docs/shop-api.md). */
    public static final Map<String, String> OWNERS = ownersInOrder();

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final List<String> PASSED_ON = List.of("Content-Type", "Accept", "Idempotency-Key");
    private static final List<String> PASSED_BACK = List.of("Content-Type", "Location", "Retry-After", "ETag", "Cache-Control");

    private final Services services;
    private final ServiceClient client;

    public Forwarding(Services services, ServiceClient client) {
        this.services = services;
        this.client = client;
    }

    private static Map<String, String> ownersInOrder() {
        Map<String, String> owners = new LinkedHashMap<>();
        owners.put("/api/customers", "customer");
        owners.put("/api/products", "product");
        owners.put("/api/inventory", "inventory");
        owners.put("/api/payments", "payment");
        owners.put("/api/shipments", "shipping");
        owners.put("/api/orders", "order");
        owners.put("/api/order-view", "order-view");
        return java.util.Collections.unmodifiableMap(owners);
    }

    /** Registers the subtrees; routes the gateway answers itself must be added before. */
    public void routes(GatewayRoutes routes) {
        OWNERS.forEach((prefix, service) -> {
            for (String method : METHODS) {
                routes.add(method, prefix, ctx -> forward(ctx, service));
                routes.add(method, prefix + "/<rest>", ctx -> forward(ctx, service));
            }
        });
    }

    private void forward(Context ctx, String serviceName) {
        String path = ctx.path();
        requireNoDotSegments(path);
        String query = ctx.queryString();
        Call call = new Call(ctx.method().name(), query == null || query.isEmpty() ? path : path + "?" + query,
                passedOn(ctx), ctx.bodyAsBytes());
        Service service = services.find(serviceName).orElseThrow(() -> new ProblemException(
                GatewayProblems.unavailable(serviceName, call.method() + " " + path, "the gateway has no address for it")));
        CallContext flow = CallContext.of(RequestContext.correlationId(ctx), RequestContext.traceParent(ctx));
        switch (client.send(service, call, flow, service.forwardTimeout())) {
            case Answered answered -> {
                ctx.status(answered.status());
                for (String name : PASSED_BACK) {
                    answered.header(name).ifPresent(value -> ctx.header(name, name.equals("Location") ? relative(value, service) : value));
                }
                ctx.result(answered.body());
            }
            case Failed failed -> {
                failed.retryAfter().ifPresent(wait -> ctx.header("Retry-After", Long.toString(Math.max(1, wait.toSeconds()))));
                ServiceHttp.problem(ctx, failed.problem());
            }
        }
    }

    private static Map<String, String> passedOn(Context ctx) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : PASSED_ON) {
            String value = ctx.header(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return headers;
    }

    /**
     * A path that climbs out of its resource ({@code /api/customers/../../admin/parked}) would reach a
     * service's own admin routes past the gateway's audit: refused before anything is sent.
     */
    private static void requireNoDotSegments(String rawPath) {
        for (String segment : rawPath.split("/")) {
            String lower = segment.toLowerCase(Locale.ROOT);
            String decoded;
            try {
                decoded = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                throw new ProblemException(Problem.badRequest("the path " + rawPath + " has a malformed percent-encoding"));
            }
            if (decoded.equals(".") || decoded.equals("..") || lower.contains("%2f") || lower.contains("%5c")) {
                throw new ProblemException(Problem.badRequest("the path " + rawPath
                        + " must not contain '.' or '..' segments or encoded slashes"));
            }
        }
    }

    /** A {@code Location} pointing at the service itself is made relative, so that clients stay on the gateway. */
    private static String relative(String location, Service service) {
        try {
            URI uri = URI.create(location);
            URI base = service.baseUrl();
            if (uri.isAbsolute() && uri.getRawAuthority() != null && base.getRawAuthority() != null
                    && uri.getRawAuthority().equalsIgnoreCase(base.getRawAuthority())) {
                return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            }
            return location;
        } catch (IllegalArgumentException notAUri) {
            return location;
        }
    }
}
