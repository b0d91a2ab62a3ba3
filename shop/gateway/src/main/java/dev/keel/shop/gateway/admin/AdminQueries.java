package dev.keel.shop.gateway.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.composition.CallContext;
import dev.keel.composition.Composed;
import dev.keel.composition.ComposedResponse;
import dev.keel.composition.Composer;
import dev.keel.composition.Composition;
import dev.keel.composition.Part;
import dev.keel.composition.PartResult;
import dev.keel.composition.Request;
import dev.keel.shop.gateway.GatewayRoutes;
import dev.keel.shop.gateway.GatewaySettings;
import dev.keel.shop.gateway.Services;
import dev.keel.shop.gateway.Services.Service;
import dev.keel.shop.platform.Problem;
import dev.keel.shop.platform.ProblemException;
import dev.keel.shop.platform.RequestContext;
import dev.keel.shop.platform.ServiceHttp;
import io.javalin.http.Context;

/**
 * The admin views over every service: each asks all services' {@code /admin/...} endpoint at once with
 * keel-composition (call timeouts, the admin deadline, circuit breakers) and answers in its one shape,
 * a part per service: {@code data} holds each service's answer as it gave it, {@code parts} says which
 * services did not answer and why. A service without the endpoint (404) has nothing of the kind: its part
 * is {@code complete} and it is absent from {@code data}.
 */
public final class AdminQueries {

    private final Composer composer;
    private final Services services;
    private final GatewaySettings settings;

    public AdminQueries(Composer composer, Services services, GatewaySettings settings) {
        this.composer = composer;
        this.services = services;
        this.settings = settings;
    }

    public void routes(GatewayRoutes routes) {
        routes.get("/api/admin/parked", ctx -> ServiceHttp.json(ctx, 200, everyService(ctx, "/admin/parked", Map.of())));
        routes.get("/api/admin/sagas", ctx -> {
            Map<String, String> filters = new LinkedHashMap<>();
            AdminInput.queryToken(ctx, "status").ifPresent(status -> filters.put("status", status));
            AdminInput.queryToken(ctx, "type").ifPresent(type -> filters.put("type", type));
            ServiceHttp.json(ctx, 200, everyService(ctx, "/admin/sagas", filters));
        });
        routes.get("/api/admin/sagas/{id}", this::saga);
        routes.get("/api/admin/projections", ctx -> ServiceHttp.json(ctx, 200, everyService(ctx, "/admin/projections", Map.of())));
        routes.get("/api/admin/replicas", ctx -> ServiceHttp.json(ctx, 200, everyService(ctx, "/admin/replicas", Map.of())));
    }

    /** Every service's answer to {@code GET path}, in keel-composition's shape. */
    ComposedResponse<Map<String, Object>> everyService(Context ctx, String path, Map<String, String> query) {
        if (services.all().isEmpty()) {
            return new ComposedResponse<>(Map.of(), Map.of(), true);
        }
        Composition fanOut = composer.composition(flow(ctx), settings.adminDeadline());
        for (Service service : services.all()) {
            Request.Builder request = Request.get(service.downstream(), path);
            query.forEach(request::query);
            fanOut.part(service.name(), request.jsonOrEmpty(JsonNode.class));
        }
        return fanOut.run().response();
    }

    private void saga(Context ctx) {
        String id = AdminInput.pathToken(ctx, "id");
        Composition lookup = composer.composition(flow(ctx), settings.adminDeadline());
        Map<Service, Part<Optional<JsonNode>>> parts = new LinkedHashMap<>();
        for (Service service : services.all()) {
            parts.put(service, lookup.part(service.name(),
                    Request.get(service.downstream(), "/admin/sagas/{}", id).jsonOrEmpty(JsonNode.class)));
        }
        if (parts.isEmpty()) {
            throw new ProblemException(Problem.notFound("saga", id));
        }
        Composed result = lookup.run();
        List<String> silent = new ArrayList<>();
        for (Map.Entry<Service, Part<Optional<JsonNode>>> entry : parts.entrySet()) {
            PartResult<Optional<JsonNode>> answer = result.result(entry.getValue());
            if (answer instanceof PartResult.Complete<Optional<JsonNode>> complete && complete.fresh().isPresent()) {
                ServiceHttp.json(ctx, 200, new SagaFound(entry.getKey().name(), complete.fresh().get()));
                return;
            }
            if (answer instanceof PartResult.Missing<Optional<JsonNode>> missing) {
                silent.add(missing.failure().detail());
            }
        }
        if (silent.isEmpty()) {
            throw new ProblemException(Problem.of(404, "not-found", "Not found",
                    "no service knows a saga " + id + " (asked " + services.names() + ")"));
        }
        throw new ProblemException(Problem.of(503, "service-unavailable", "Service unavailable",
                "saga " + id + " was not found on the services that answered, and some did not: " + String.join("; ", silent)));
    }

    static CallContext flow(Context ctx) {
        return CallContext.of(RequestContext.correlationId(ctx), RequestContext.traceParent(ctx));
    }
}
