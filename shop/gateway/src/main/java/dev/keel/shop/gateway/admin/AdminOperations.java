package dev.keel.shop.gateway.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.composition.ComposedResponse;
import dev.keel.composition.PartStatus;
import dev.keel.core.KeelException;
import dev.keel.core.json.JsonCodec;
import dev.keel.core.json.JsonCodecException;
import dev.keel.shop.gateway.GatewayRoutes;
import dev.keel.shop.gateway.ServiceClient;
import dev.keel.shop.gateway.ServiceClient.Answered;
import dev.keel.shop.gateway.ServiceClient.Call;
import dev.keel.shop.gateway.ServiceClient.Failed;
import dev.keel.shop.gateway.Services;
import dev.keel.shop.gateway.Services.Service;
import dev.keel.shop.gateway.audit.AuditLog;
import dev.keel.shop.platform.Problem;
import dev.keel.shop.platform.ProblemException;
import dev.keel.shop.platform.RequestContext;
import dev.keel.shop.platform.ServiceHttp;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin operations that change something in a service: retry or skip a parked message, rebuild a
 * projection. Each is checked, written to the audit log as pending, sent to the one service it concerns,
 * and finished in the log with the service's answer, which goes back to the client unchanged (with the
 * audit entry's id in {@code X-Audit-Id}). If the audit log cannot be written, nothing is sent.
 */
public final class AdminOperations {

    private static final Logger log = LoggerFactory.getLogger(AdminOperations.class);
    private static final JsonCodec JSON = JsonCodec.tolerant();
    public static final String AUDIT_ID_HEADER = "X-Audit-Id";

    private final Services services;
    private final ServiceClient client;
    private final AuditLog audit;
    private final AdminQueries queries;

    public AdminOperations(Services services, ServiceClient client, AuditLog audit, AdminQueries queries) {
        this.services = services;
        this.client = client;
        this.audit = audit;
        this.queries = queries;
    }

    public void routes(GatewayRoutes routes) {
        routes.post("/api/admin/parked/{service}/{id}/retry", ctx -> parked(ctx, "retry"));
        routes.post("/api/admin/parked/{service}/{id}/skip", ctx -> parked(ctx, "skip"));
        routes.post("/api/admin/projections/{name}/rebuild", this::rebuild);
    }

    private void parked(Context ctx, String operation) {
        Service service = services.require(AdminInput.pathToken(ctx, "service"));
        String id = AdminInput.pathToken(ctx, "id");
        String actor = AdminInput.actor(ctx);
        perform(ctx, actor, "parked." + operation, service, id, "/admin/parked/" + id + "/" + operation);
    }

    private void rebuild(Context ctx) {
        String name = AdminInput.pathToken(ctx, "name");
        Optional<String> named = AdminInput.queryToken(ctx, "service");
        String actor = AdminInput.actor(ctx);
        Service owner = named.isPresent() ? services.require(named.get()) : owner(ctx, name);
        perform(ctx, actor, "projection.rebuild", owner, name, "/admin/projections/" + name + "/rebuild");
    }

    /**
     * The one service whose projection list mentions the name. Services do not share projection names, but
     * the gateway does not assume it: two owners, or none while a service is silent, are said as they are.
     */
    private Service owner(Context ctx, String name) {
        ComposedResponse<Map<String, Object>> listed = queries.everyService(ctx, "/admin/projections", Map.of());
        List<Service> owners = new ArrayList<>();
        List<String> silent = new ArrayList<>();
        for (Service service : services.all()) {
            Object answer = listed.data().get(service.name());
            if (answer instanceof JsonNode tree && mentions(tree, name)) {
                owners.add(service);
            }
            PartStatus status = listed.parts().get(service.name());
            if (status != null && status.status().equals("missing")) {
                silent.add(status.detail().orElse(service.name() + " did not answer"));
            }
        }
        if (owners.size() == 1) {
            return owners.getFirst();
        }
        if (owners.size() > 1) {
            throw new ProblemException(Problem.conflict("a projection named '" + name + "' exists in "
                    + owners.stream().map(Service::name).toList() + "; say which with ?service="));
        }
        if (!silent.isEmpty()) {
            throw new ProblemException(Problem.of(503, "service-unavailable", "Service unavailable",
                    "no service that answered has a projection named '" + name + "', and some did not answer: "
                            + String.join("; ", silent)));
        }
        throw new ProblemException(Problem.of(404, "not-found", "Not found",
                "no service has a projection named '" + name + "' (asked " + services.names() + ")"));
    }

    private static boolean mentions(JsonNode tree, String name) {
        if (tree.isTextual()) {
            return tree.asText().equals(name);
        }
        for (JsonNode child : tree) {
            if (mentions(child, name)) {
                return true;
            }
        }
        return false;
    }

    private void perform(Context ctx, String actor, String action, Service service, String target, String path) {
        String correlation = RequestContext.correlationId(ctx).value();
        long entry;
        try {
            entry = audit.begin(new AuditLog.Operation(actor, ctx.ip(), action, service.name(), target, correlation));
        } catch (KeelException auditFailed) {
            log.error("cannot write the audit log; {} of {} on {} was not sent", action, target, service.name(), auditFailed);
            throw new ProblemException(Problem.unavailable("the audit log cannot be written, so " + action + " of '" + target
                    + "' was not sent to the " + service.name() + " service; try again later"));
        }
        ctx.header(AUDIT_ID_HEADER, Long.toString(entry));
        Call call = new Call("POST", path, Map.of("Accept", "application/json"), new byte[0]);
        switch (client.send(service, call, AdminQueries.flow(ctx), service.forwardTimeout())) {
            case Answered answered -> {
                int status = answered.status();
                finish(entry, status < 300 ? "succeeded" : status < 500 ? "refused" : "failed", status,
                        status < 300 ? "" : problemDetail(answered.body()));
                ctx.status(status);
                answered.header("Content-Type").ifPresent(ctx::contentType);
                ctx.result(answered.body());
            }
            case Failed failed -> {
                int status = failed.problem().status();
                // a timeout or a broken exchange happened after the request went out: it may have taken effect
                finish(entry, status == 504 || status == 502 ? "unknown" : "failed", status, failed.problem().detail());
                ServiceHttp.problem(ctx, failed.problem());
            }
        }
    }

    private void finish(long entry, String outcome, int status, String detail) {
        try {
            audit.finish(entry, outcome, status, detail);
        } catch (KeelException auditFailed) {
            // the operation is done; its entry stays pending, which says truthfully that its result was not recorded
            log.error("cannot record the result of audit entry {} ({} {})", entry, outcome, status, auditFailed);
        }
    }

    private static String problemDetail(byte[] body) {
        try {
            JsonNode tree = JSON.readTree(body);
            if (tree.hasNonNull("detail")) {
                return tree.get("detail").asText();
            }
        } catch (JsonCodecException notJson) {
            // not a problem document: the raw text says what there is
        }
        return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
}
