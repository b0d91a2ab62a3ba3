package dev.keel.shop.gateway;

import java.util.ArrayList;
import java.util.List;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * Registers the gateway's routes on its HTTP server and remembers them, so that a test can hold them
 * against the OpenAPI document: nothing is served that the document does not describe.
 */
public final class GatewayRoutes {

    /**
     * One route: a method and a Javalin path ({@code {id}} is one segment, {@code <rest>} any number of them).
     * The chassis' own {@code /health/live}, {@code /health/ready} and {@code /metrics} are listed too.
     */
    public record Route(String method, String path) {
        /** Whether this route forwards a whole subtree ({@code /api/orders/<rest>}). */
        public boolean isSubtree() {
            return path.endsWith("/<rest>");
        }
    }

    private final Javalin app;
    private final List<Route> routes = new ArrayList<>(List.of(
            new Route("GET", "/health/live"), new Route("GET", "/health/ready"), new Route("GET", "/metrics")));

    GatewayRoutes(Javalin app) {
        this.app = app;
    }

    public GatewayRoutes get(String path, Handler handler) {
        return add("GET", path, handler);
    }

    public GatewayRoutes post(String path, Handler handler) {
        return add("POST", path, handler);
    }

    /** Javalin matches routes in the order they were added: add specific ones before subtrees. */
    public GatewayRoutes add(String method, String path, Handler handler) {
        app.addHttpHandler(HandlerType.valueOf(method), path, handler);
        routes.add(new Route(method, path));
        return this;
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }
}
