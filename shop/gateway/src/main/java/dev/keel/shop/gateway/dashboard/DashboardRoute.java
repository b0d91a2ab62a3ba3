package dev.keel.shop.gateway.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.keel.shop.gateway.GatewayRoutes;
import dev.keel.shop.platform.Problem;
import dev.keel.shop.platform.ProblemException;

/**
 * The dashboard: a static page ({@code /}) with its style sheet and script ({@code /dashboard/{asset}}),
 * plain HTML, CSS and JavaScript from the class path, no build step. The page calls the gateway's own
 * API and shows "service unavailable" wherever a call fails.
 */
public final class DashboardRoute {

    static final String FOLDER = "dev/keel/shop/gateway/dashboard/";

    /** The files the dashboard consists of, with their content types. */
    public static final Map<String, String> ASSETS = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8");

    private final Map<String, byte[]> files = new LinkedHashMap<>();

    public DashboardRoute() {
        ASSETS.keySet().forEach(name -> files.put(name, read(name)));
    }

    public void routes(GatewayRoutes routes) {
        routes.get("/", ctx -> ctx.contentType(ASSETS.get("index.html")).header("Cache-Control", "no-cache")
                .result(files.get("index.html")));
        routes.get("/dashboard/{asset}", ctx -> {
            String asset = ctx.pathParam("asset");
            byte[] file = files.get(asset);
            if (file == null) {
                throw new ProblemException(Problem.notFound("dashboard asset", asset));
            }
            ctx.contentType(ASSETS.get(asset)).header("Cache-Control", "no-cache").result(file);
        });
    }

    private static byte[] read(String name) {
        try (InputStream in = DashboardRoute.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard file " + FOLDER + name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FOLDER + name, e);
        }
    }
}
