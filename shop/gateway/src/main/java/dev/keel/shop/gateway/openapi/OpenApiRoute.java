package dev.keel.shop.gateway.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import dev.keel.shop.gateway.GatewayRoutes;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 document of the gateway's public API. It is maintained by
 * hand as a resource (and kept identical in {@code docs/openapi.json}); tests hold it against the routes
 * the gateway serves, against docs/shop-api.md and against the services' contract records.
 */
public final class OpenApiRoute {

    public static final String RESOURCE = "dev/keel/shop/gateway/openapi.json";

    private final byte[] document;

    public OpenApiRoute() {
        this.document = read();
    }

    /** The document as served. */
    public static byte[] read() {
        try (InputStream in = OpenApiRoute.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    public void routes(GatewayRoutes routes) {
        routes.get("/openapi.json", ctx -> ctx.contentType("application/json").header("Cache-Control", "no-cache").result(document));
    }
}
