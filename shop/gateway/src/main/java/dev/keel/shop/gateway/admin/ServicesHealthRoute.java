package dev.keel.shop.gateway.admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.json.JsonCodec;
import dev.keel.core.json.JsonCodecException;
import dev.keel.shop.gateway.GatewayRoutes;
import dev.keel.shop.gateway.GatewaySettings;
import dev.keel.shop.gateway.Services;
import dev.keel.shop.gateway.Services.Service;
import dev.keel.shop.platform.Health;
import dev.keel.shop.platform.ServiceHttp;
import io.javalin.http.Context;

/**
 * {@code GET /api/admin/services}: asks every service's {@code /health/ready} at once, each within its
 * call timeout. Health probes bypass the circuit breakers on purpose: they are how an operator sees that a
 * service whose circuit is open has come back, and a probe's failure must not keep the circuit open.
 */
public final class ServicesHealthRoute {

    private static final JsonCodec JSON = JsonCodec.tolerant();

    private final Services services;
    private final HttpClient client;
    private final GatewaySettings settings;
    private final Health ownHealth;

    public ServicesHealthRoute(Services services, HttpClient client, GatewaySettings settings, Health ownHealth) {
        this.services = services;
        this.client = client;
        this.settings = settings;
        this.ownHealth = ownHealth;
    }

    public void routes(GatewayRoutes routes) {
        routes.get("/api/admin/services", this::services);
    }

    private void services(Context ctx) {
        List<CompletableFuture<HttpResponse<byte[]>>> probes = new ArrayList<>();
        List<Service> all = List.copyOf(services.all());
        for (Service service : all) {
            String base = service.baseUrl().toString().replaceAll("/+$", "");
            probes.add(client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/health/ready"))
                            .timeout(settings.callTimeout(service.name())).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        List<ServiceHealth> healths = new ArrayList<>();
        healths.add(own(ctx.scheme() + "://" + ctx.host()));
        for (int i = 0; i < all.size(); i++) {
            healths.add(health(all.get(i), probes.get(i)));
        }
        int up = (int) healths.stream().filter(health -> health.status().equals("UP")).count();
        ServiceHttp.json(ctx, 200, new ServicesHealth(healths, up, healths.size(), up == healths.size()));
    }

    private ServiceHealth own(String ownUrl) {
        Map<String, Health.Check> results = ownHealth.run();
        Map<String, String> checks = new LinkedHashMap<>();
        results.forEach((name, check) -> checks.put(name, check.detail()));
        boolean up = results.values().stream().allMatch(Health.Check::up);
        return new ServiceHealth("gateway", ownUrl, up ? "UP" : "DOWN", checks,
                up ? Optional.empty() : Optional.of("a readiness check fails"), "NONE");
    }

    private ServiceHealth health(Service service, CompletableFuture<HttpResponse<byte[]>> probe) {
        Duration timeout = settings.callTimeout(service.name());
        String circuit = service.downstream().circuitBreaker().getState().name();
        String url = service.baseUrl().toString();
        HttpResponse<byte[]> response;
        try {
            response = probe.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException slow) {
            probe.cancel(true);
            return new ServiceHealth(service.name(), url, "UNREACHABLE", Map.of(),
                    Optional.of("no answer within " + timeout.toMillis() + " ms"), circuit);
        } catch (InterruptedException interrupted) {
            probe.cancel(true);
            Thread.currentThread().interrupt();
            return new ServiceHealth(service.name(), url, "UNREACHABLE", Map.of(), Optional.of("the gateway was interrupted"), circuit);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause() == null ? failed : failed.getCause();
            String why = cause instanceof java.net.ConnectException ? "connection refused"
                    : cause instanceof java.net.http.HttpTimeoutException ? "no answer within " + timeout.toMillis() + " ms"
                    : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            return new ServiceHealth(service.name(), url, "UNREACHABLE", Map.of(), Optional.of(why), circuit);
        }
        Map<String, String> checks = checks(response.body());
        if (response.statusCode() == 200) {
            return new ServiceHealth(service.name(), url, "UP", checks, Optional.empty(), circuit);
        }
        List<String> failing = checks.entrySet().stream().filter(check -> !check.getValue().equals("UP"))
                .map(check -> check.getKey() + " " + check.getValue()).toList();
        return new ServiceHealth(service.name(), url, "DOWN", checks, Optional.of(failing.isEmpty()
                ? "/health/ready answered HTTP " + response.statusCode()
                : String.join("; ", failing)), circuit);
    }

    private static Map<String, String> checks(byte[] body) {
        Map<String, String> checks = new LinkedHashMap<>();
        try {
            JsonNode tree = JSON.readTree(body);
            JsonNode found = tree.path("checks");
            found.properties().forEach(check -> checks.put(check.getKey(), check.getValue().asText()));
        } catch (JsonCodecException notJson) {
            // a body that is not the chassis' health document has no checks to show
        }
        return checks;
    }
}
