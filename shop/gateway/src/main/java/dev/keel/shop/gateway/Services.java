package dev.keel.shop.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.keel.composition.Composer;
import dev.keel.composition.Downstream;
import dev.keel.composition.DownstreamOptions;
import dev.keel.shop.platform.Problem;
import dev.keel.shop.platform.ProblemException;
import dev.keel.shop.platform.ServiceDirectory;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

/**
 * The services behind the gateway, each with its address, its forwarding timeout and its keel-composition
 * {@link Downstream}. The downstream's circuit breaker is the service's one circuit breaker: forwarded
 * requests, the details composition and the admin fan-outs all count against it and all respect it, so a
 * service that keeps failing is spared by every route at once.
 */
public final class Services {

    /** The Shop's services in the order the dashboard lists them. */
    static final List<String> SHOP_ORDER = List.of("customer", "product", "inventory", "payment", "shipping", "order",
            "order-view");

    /**
     * One service the gateway talks to.
     *
     * @param name           its name in the {@link ServiceDirectory}
     * @param baseUrl        where it answers HTTP
     * @param downstream     its keel-composition downstream (and circuit breaker)
     * @param forwardTimeout how long a forwarded request may take
     */
    public record Service(String name, URI baseUrl, Downstream downstream, Duration forwardTimeout) {
    }

    private final Map<String, Service> byName;

    private Services(Map<String, Service> byName) {
        this.byName = byName;
    }

    /** Registers every service of the directory but the gateway itself as a downstream of the composer. */
    public static Services register(Composer composer, ServiceDirectory directory, GatewaySettings settings) {
        CircuitBreakerConfig circuitBreaker = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.circuitWindow())
                .minimumNumberOfCalls(settings.circuitMinimumCalls())
                .failureRateThreshold(settings.circuitFailureRate())
                .waitDurationInOpenState(settings.circuitOpenFor())
                .permittedNumberOfCallsInHalfOpenState(3)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build();
        List<String> names = new ArrayList<>();
        SHOP_ORDER.stream().filter(directory.all()::containsKey).forEach(names::add);
        directory.all().keySet().stream().sorted()
                .filter(name -> !names.contains(name) && !name.equals(GatewayService.NAME))
                .forEach(names::add);
        Map<String, Service> services = new LinkedHashMap<>();
        for (String name : names) {
            URI baseUrl = directory.baseUrl(name);
            Downstream downstream = composer.downstream(name, baseUrl, DownstreamOptions.defaults()
                    .callTimeout(settings.callTimeout(name))
                    .circuitBreaker(circuitBreaker));
            services.put(name, new Service(name, baseUrl, downstream, settings.forwardTimeout(name)));
        }
        return new Services(services);
    }

    public Optional<Service> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The service, or a 404 problem that lists the ones there are. */
    public Service require(String name) {
        Service service = byName.get(name);
        if (service == null) {
            throw new ProblemException(Problem.of(404, "unknown-service", "Unknown service",
                    "there is no service named '" + name + "'; the gateway knows " + names()));
        }
        return service;
    }

    public Collection<Service> all() {
        return byName.values();
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }
}
