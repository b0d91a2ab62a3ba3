package dev.keel.composition;

import static dev.keel.composition.Shop.CUSTOMER_JSON;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.keel.composition.Shop.Customer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Meters per downstream: calls and their latency by outcome, failures by reason, fallbacks, cache. */
class MetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TestServer customerService = TestServer.start()
            .answer("/customers/c-7", 200, CUSTOMER_JSON)
            .answer("/customers/c-8", 503, "");
    private final Composer composer = Composer.builder().meterRegistry(registry).build();
    private final Downstream customers = composer.downstream("customer", customerService.uri(),
            DownstreamOptions.defaults().cache(CachePolicy.ttl(Duration.ofMinutes(1))));

    @AfterEach
    void stop() {
        composer.close();
        customerService.close();
    }

    private void run(Request<Customer> request) {
        Composition composition = composer.composition(CallContext.newFlow(), Duration.ofSeconds(10));
        composition.part("customer", request);
        composition.run();
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    void counts_calls_failures_fallbacks_and_cache_lookups_per_downstream() {
        run(Request.get(customers, "/customers/c-7").json(Customer.class));
        run(Request.get(customers, "/customers/c-7").json(Customer.class));
        run(Request.get(customers, "/customers/c-8").json(Customer.class));
        run(Request.get(customers, "/customers/c-8").json(Customer.class).fallback(Fallback.value(new Customer("c-8", "?"))));

        assertThat(registry.get("keel.composition.calls").tags("downstream", "customer", "outcome", "ok").timer().count()).isEqualTo(1);
        assertThat(registry.get("keel.composition.calls").tags("downstream", "customer", "outcome", "error_status").timer().count())
                .isEqualTo(2);
        assertThat(registry.get("keel.composition.calls").tags("downstream", "customer", "outcome", "ok").timer()
                .totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
        assertThat(count("keel.composition.failures", "downstream", "customer", "reason", "error_status")).isEqualTo(2);
        assertThat(count("keel.composition.failures", "downstream", "customer", "reason", "timeout")).isZero();
        assertThat(count("keel.composition.fallbacks", "downstream", "customer", "kind", "default")).isEqualTo(1);
        assertThat(count("keel.composition.fallbacks", "downstream", "customer", "kind", "stale")).isZero();
        assertThat(count("keel.composition.cache", "downstream", "customer", "result", "hit")).isEqualTo(1);
        assertThat(count("keel.composition.cache", "downstream", "customer", "result", "miss")).isEqualTo(3);
        assertThat(registry.get("keel.composition.runs").tags("outcome", "complete").timer().count()).isEqualTo(2);
        assertThat(registry.get("keel.composition.runs").tags("outcome", "partial").timer().count()).isEqualTo(2);
    }

    @Test
    void publishes_the_state_of_each_circuit_breaker() {
        assertThat(registry.get("resilience4j.circuitbreaker.state").tags("name", "customer", "state", "closed").gauge().value())
                .isEqualTo(1.0);
    }
}
