package dev.keel.shop.gateway;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.keel.composition.Composer;
import dev.keel.shop.gateway.admin.AdminOperations;
import dev.keel.shop.gateway.admin.AdminQueries;
import dev.keel.shop.gateway.admin.ServicesHealthRoute;
import dev.keel.shop.gateway.audit.AuditLog;
import dev.keel.shop.gateway.audit.AuditRoute;
import dev.keel.shop.gateway.dashboard.DashboardRoute;
import dev.keel.shop.gateway.details.OrderDetailsRoute;
import dev.keel.shop.gateway.openapi.OpenApiRoute;
import dev.keel.shop.gateway.routing.Forwarding;
import dev.keel.shop.platform.Health;
import dev.keel.shop.platform.RunningService;
import dev.keel.shop.platform.ServiceContext;
import dev.keel.shop.platform.ServiceHttp;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The running gateway: its HTTP server with every route, one HTTP client and one keel-composition
 * {@link Composer} shared by all of them (so each service has one circuit breaker), and its audit log.
 */
public final class Gateway implements RunningService {

    private final ServiceHttp http;
    private final Composer composer;
    private final HttpClient client;
    private final List<GatewayRoutes.Route> routes;

    private Gateway(ServiceHttp http, Composer composer, HttpClient client, List<GatewayRoutes.Route> routes) {
        this.http = http;
        this.composer = composer;
        this.client = client;
        this.routes = routes;
    }

    public static Gateway start(ServiceContext context) {
        GatewaySettings settings = new GatewaySettings(context.settings());
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meters.config().commonTags("application", GatewayService.NAME);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        Composer composer = Composer.builder().httpClient(client).meterRegistry(meters).clock(context.clock()).build();
        try {
            Services services = Services.register(composer, context.directory(), settings);
            ServiceClient serviceClient = new ServiceClient(client);
            AuditLog audit = new AuditLog(context.database().dataSource(), context.clock());
            Health health = new Health().check("database", context.database()::check);
            AdminQueries queries = new AdminQueries(composer, services, settings);
            OpenApiRoute openApi = new OpenApiRoute();
            DashboardRoute dashboard = new DashboardRoute();
            AtomicReference<GatewayRoutes> registered = new AtomicReference<>();
            ServiceHttp http = ServiceHttp.builder(GatewayService.NAME)
                    .port(context.port())
                    .maxBodyBytes(settings.maxBodyBytes())
                    .meterRegistry(meters)
                    .health(health)
                    .routes(app -> {
                        GatewayRoutes routes = new GatewayRoutes(app);
                        dashboard.routes(routes);
                        openApi.routes(routes);
                        new ServicesHealthRoute(services, client, settings, health).routes(routes);
                        queries.routes(routes);
                        new AdminOperations(services, serviceClient, audit, queries).routes(routes);
                        new AuditRoute(audit).routes(routes);
                        // before the forwarding of /api/orders/**, which would otherwise take it
                        new OrderDetailsRoute(composer, services, settings).routes(routes);
                        new Forwarding(services, serviceClient).routes(routes);
                        registered.set(routes);
                    })
                    .start();
            return new Gateway(http, composer, client, registered.get().routes());
        } catch (RuntimeException e) {
            composer.close();
            client.shutdownNow();
            throw e;
        }
    }

    @Override
    public String name() {
        return GatewayService.NAME;
    }

    @Override
    public String baseUrl() {
        return http.baseUrl();
    }

    /** Every route the gateway serves. */
    public List<GatewayRoutes.Route> routes() {
        return routes;
    }

    @Override
    public void close() {
        http.close();
        composer.close();
        client.shutdownNow();
    }
}
