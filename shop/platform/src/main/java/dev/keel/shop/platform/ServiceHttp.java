package dev.keel.shop.platform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.keel.core.json.JsonCodec;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of a Shop service, the same for all of them: Javalin on virtual threads with
 * <ul>
 *   <li>{@code /health/live}, {@code /health/ready} (503 with the failing checks) and a Prometheus
 *       {@code /metrics} endpoint, with HTTP and JVM metrics;</li>
 *   <li>correlation ids and trace context taken from (or added to) every request, see {@link RequestContext};</li>
 *   <li>every error as {@code application/problem+json}: {@link ProblemException}s, bodies too large
 *       (413), unknown routes (404), wrong methods (405), and anything unexpected (500, logged with
 *       its correlation id, no internals in the response);</li>
 *   <li>JSON written by keel-core's {@link JsonCodec}.</li>
 * </ul>
 */
public final class ServiceHttp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceHttp.class);
    private static final JsonCodec JSON = JsonCodec.tolerant();
    private static final String STARTED_AT = "keel.startedAt";

    private final String service;
    private final Javalin app;
    private final PrometheusMeterRegistry registry;

    private ServiceHttp(String service, Javalin app, PrometheusMeterRegistry registry) {
        this.service = service;
        this.app = app;
        this.registry = registry;
    }

    public static Builder builder(String service) {
        return new Builder(service);
    }

    public int port() {
        return app.port();
    }

    public String baseUrl() {
        return "http://localhost:" + port();
    }

    public MeterRegistry meterRegistry() {
        return registry;
    }

    public String service() {
        return service;
    }

    /** Writes a value as JSON with a status. */
    public static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(JSON.toBytes(body));
    }

    @Override
    public void close() {
        app.stop();
    }

    public static final class Builder {
        private final String service;
        private int port;
        private long maxBodyBytes = 64 * 1024;
        private PrometheusMeterRegistry registry;
        private Health health = new Health();
        private Consumer<Javalin> routes = app -> { };

        private Builder(String service) {
            this.service = Objects.requireNonNull(service);
        }

        /** The port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The largest request body accepted (default 64 KiB); larger ones get 413. */
        public Builder maxBodyBytes(long bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        /** The registry to expose on /metrics; one is made when none is given. */
        public Builder meterRegistry(PrometheusMeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        public Builder health(Health health) {
            this.health = health;
            return this;
        }

        public Builder routes(Consumer<Javalin> routes) {
            this.routes = routes;
            return this;
        }

        public ServiceHttp start() {
            PrometheusMeterRegistry meters = registry != null ? registry : newRegistry(service);
            Health checks = health;
            Javalin app = Javalin.create(config -> {
                config.useVirtualThreads = true;
                config.showJavalinBanner = false;
                config.startupWatcherEnabled = false;
                config.http.maxRequestSize = maxBodyBytes;
                config.http.prefer405over404 = true;
                config.http.defaultContentType = "application/json";
                config.router.ignoreTrailingSlashes = true;
                config.jsonMapper(new JavalinJackson(JSON.mapperCopy(), true));
            });
            Timer.Builder timer = Timer.builder("http.server.requests").description("HTTP requests handled")
                    .tag("service", service);
            app.before(ctx -> {
                ctx.attribute(STARTED_AT, System.nanoTime());
                RequestContext.begin(ctx);
            });
            app.after(ctx -> {
                Long started = ctx.attribute(STARTED_AT);
                if (started != null) {
                    String route = ctx.endpointHandlerPath();
                    timer.tag("method", ctx.method().name())
                            .tag("route", route == null || route.isEmpty() ? "unmatched" : route)
                            .tag("status", Integer.toString(ctx.statusCode()))
                            .register(meters)
                            .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                }
                RequestContext.end();
            });
            app.exception(ProblemException.class, (e, ctx) -> problem(ctx, e.problem()));
            app.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, fromJavalin(e)));
            app.exception(Exception.class, (e, ctx) -> {
                log.error("{} failed on {} {} (correlation {})", service, ctx.method(), ctx.path(),
                        RequestContext.correlationId(ctx), e);
                problem(ctx, Problem.of(500, "internal", "Internal error",
                        "the service failed unexpectedly; quote correlation id " + RequestContext.correlationId(ctx)));
            });
            app.error(404, ctx -> {
                if (!isProblem(ctx)) {
                    problem(ctx, Problem.of(404, "not-found", "Not found", "no resource at " + ctx.method() + " " + ctx.path()));
                }
            });
            app.error(405, ctx -> {
                if (!isProblem(ctx)) {
                    problem(ctx, Problem.of(405, "method-not-allowed", "Method not allowed",
                            ctx.method() + " is not supported on " + ctx.path()));
                }
            });
            app.get("/health/live", ctx -> json(ctx, 200, Map.of("status", "UP", "service", service)));
            app.get("/health/ready", ctx -> {
                Map<String, Health.Check> results = checks.run();
                boolean up = results.values().stream().allMatch(Health.Check::up);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", up ? "UP" : "DOWN");
                body.put("service", service);
                Map<String, String> details = new LinkedHashMap<>();
                results.forEach((name, check) -> details.put(name, check.detail()));
                body.put("checks", details);
                json(ctx, up ? 200 : 503, body);
            });
            app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(meters.scrape()));
            routes.accept(app);
            app.start("localhost", port);
            log.info("{} listening on http://localhost:{}", service, app.port());
            return new ServiceHttp(service, app, meters);
        }
    }

    /**
     * The registry {@code /metrics} exposes when none is given: tagged {@code application=<service>},
     * with JVM metrics. Make it first when something started before the HTTP server (the messaging
     * wiring, a projection) registers meters on it too.
     */
    public static PrometheusMeterRegistry newRegistry(String service) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("application", service);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        return registry;
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(Problem.CONTENT_TYPE);
    }

    private static Problem fromJavalin(HttpResponseException e) {
        int status = e.getStatus();
        if (status == HttpStatus.CONTENT_TOO_LARGE.getCode()) {
            return Problem.of(413, "too-large", "Request body too large", "the request body exceeds the limit of this service");
        }
        HttpStatus known = HttpStatus.forStatus(status);
        String title = known == HttpStatus.UNKNOWN ? "Error" : known.getMessage();
        return Problem.of(status, title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'), title,
                e.getMessage() == null || e.getMessage().isBlank() ? title : e.getMessage());
    }

    /** Answers with a problem detail (and nothing else). */
    public static void problem(Context ctx, Problem problem) {
        Problem located = problem.instance() == null
                ? problem.at(ctx.path(), RequestContext.correlationId(ctx).value())
                : problem;
        ctx.status(located.status()).contentType(Problem.CONTENT_TYPE).result(JSON.toBytes(located));
    }

}
