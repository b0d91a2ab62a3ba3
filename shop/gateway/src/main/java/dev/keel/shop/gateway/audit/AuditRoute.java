package dev.keel.shop.gateway.audit;

import java.util.Optional;
import java.util.Set;

import dev.keel.shop.gateway.GatewayRoutes;
import dev.keel.shop.platform.ProblemException;
import dev.keel.shop.platform.Requests;
import dev.keel.shop.platform.ServiceHttp;
import io.javalin.http.Context;

/** {@code GET /api/admin/audit?action=&service=&outcome=&limit=&offset=}: the audit log, newest first. */
public final class AuditRoute {

    private final AuditLog log;

    public AuditRoute(AuditLog log) {
        this.log = log;
    }

    public void routes(GatewayRoutes routes) {
        routes.get("/api/admin/audit", this::page);
    }

    private void page(Context ctx) {
        AuditLog.Filter filter = new AuditLog.Filter(oneOf(ctx, "action", AuditLog.ACTIONS),
                Requests.query(ctx, "service"), oneOf(ctx, "outcome", AuditLog.OUTCOMES));
        int limit = Requests.queryInt(ctx, "limit", 50, 1, 500);
        int offset = Requests.queryInt(ctx, "offset", 0, 0, 1_000_000);
        ServiceHttp.json(ctx, 200, log.page(filter, limit, offset));
    }

    private static Optional<String> oneOf(Context ctx, String name, Set<String> allowed) {
        Optional<String> value = Requests.query(ctx, name);
        value.ifPresent(given -> {
            if (!allowed.contains(given)) {
                throw ProblemException.invalid(name, name + " must be one of " + new java.util.TreeSet<>(allowed) + ", got '" + given + "'");
            }
        });
        return value;
    }
}
