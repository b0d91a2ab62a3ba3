package dev.keel.composition;

import static dev.keel.composition.Shop.CUSTOMER;
import static dev.keel.composition.Shop.CUSTOMER_JSON;
import static dev.keel.composition.Shop.PRODUCT_1;
import static dev.keel.composition.Shop.PRODUCT_1_JSON;
import static dev.keel.composition.Shop.PRODUCT_2_JSON;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import dev.keel.composition.Shop.Customer;
import dev.keel.composition.Shop.Product;
import dev.keel.core.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The short-TTL cache of reference lookups, and what stands in when a call fails. */
class CacheAndFallbackTest {

    private static final Customer UNKNOWN = new Customer("c-7", "(unknown)");

    private final ManualClock clock = ManualClock.at("2026-11-23T10:00:00Z");
    private final TestServer productService = TestServer.start()
            .answer("/products/p-1", 200, PRODUCT_1_JSON)
            .answer("/products/p-2", 200, PRODUCT_2_JSON)
            .answer("/products/p-3", 200, PRODUCT_2_JSON.replace("p-2", "p-3"));
    private final TestServer customerService = TestServer.start().answer("/customers/c-7", 200, CUSTOMER_JSON);
    private final Composer composer = Composer.builder().clock(clock).build();

    @AfterEach
    void stop() {
        composer.close();
        productService.close();
        customerService.close();
    }

    private <T> PartResult<T> fetch(Request<T> request) {
        Composition composition = composer.composition(CallContext.newFlow(), Duration.ofSeconds(10));
        Part<T> part = composition.part("part", request);
        return composition.run().result(part);
    }

    private Downstream cachedProducts(CachePolicy policy) {
        return composer.downstream("product", productService.uri(), DownstreamOptions.defaults().cache(policy));
    }

    @Test
    void a_cached_answer_is_served_within_its_time_to_live_with_its_age() {
        Downstream products = cachedProducts(CachePolicy.ttl(Duration.ofSeconds(10)));
        fetch(Request.get(products, "/products/p-1").json(Product.class));
        clock.advance(Duration.ofSeconds(4));

        PartResult<Product> second = fetch(Request.get(products, "/products/p-1").json(Product.class));

        assertThat(second).isEqualTo(new PartResult.Cached<>(PRODUCT_1, Duration.ofSeconds(4)));
        assertThat(second.status().status()).isEqualTo("cached");
        assertThat(second.status().ageMs()).hasValue(4000);
        assertThat(second.isComplete()).isTrue();
        assertThat(productService.received()).hasSize(1);
    }

    @Test
    void an_answer_older_than_the_time_to_live_is_fetched_again() {
        Downstream products = cachedProducts(CachePolicy.ttl(Duration.ofSeconds(10)));
        fetch(Request.get(products, "/products/p-1").json(Product.class));
        clock.advance(Duration.ofSeconds(10));

        PartResult<Product> again = fetch(Request.get(products, "/products/p-1").json(Product.class));

        assertThat(again).isEqualTo(new PartResult.Complete<>(PRODUCT_1));
        assertThat(productService.received()).hasSize(2);
    }

    @Test
    void the_cache_keeps_at_most_its_maximum_of_entries_dropping_the_least_recently_used() {
        Downstream products = cachedProducts(CachePolicy.ttl(Duration.ofMinutes(1)).maxEntries(2));
        fetch(Request.get(products, "/products/p-1").json(Product.class));
        fetch(Request.get(products, "/products/p-2").json(Product.class));
        fetch(Request.get(products, "/products/p-1").json(Product.class));   // p-1 is now the most recently used
        fetch(Request.get(products, "/products/p-3").json(Product.class));   // p-2 goes

        PartResult<Product> p1 = fetch(Request.get(products, "/products/p-1").json(Product.class));
        PartResult<Product> p2 = fetch(Request.get(products, "/products/p-2").json(Product.class));

        assertThat(p1).isInstanceOf(PartResult.Cached.class);
        assertThat(p2).isInstanceOf(PartResult.Complete.class);
        assertThat(productService.received()).extracting(TestServer.Received::path)
                .containsExactly("/products/p-1", "/products/p-2", "/products/p-3", "/products/p-2");
    }

    @Test
    void a_post_is_not_cached() {
        productService.answer("/products/lookup", 200, PRODUCT_1_JSON);
        Downstream products = cachedProducts(CachePolicy.ttl(Duration.ofMinutes(1)));

        fetch(Request.post(products, "/products/lookup").body("p-1").json(Product.class));
        PartResult<Product> second = fetch(Request.post(products, "/products/lookup").body("p-1").json(Product.class));

        assertThat(second).isInstanceOf(PartResult.Complete.class);
        assertThat(productService.received()).hasSize(2);
    }

    @Test
    void the_last_good_answer_stands_in_for_a_failed_call_marked_stale_with_its_age() {
        Downstream customers = composer.downstream("customer", customerService.uri());
        Request<Customer> request = Request.get(customers, "/customers/c-7").json(Customer.class)
                .fallback(Fallback.lastGood(Duration.ofMinutes(5)));
        fetch(request);
        customerService.answer("/customers/c-7", 503, "");
        clock.advance(Duration.ofSeconds(30));

        PartResult<Customer> result = fetch(request);

        assertThat(result).isInstanceOfSatisfying(PartResult.Stale.class, stale -> {
            assertThat(stale.lastGood()).isEqualTo(CUSTOMER);
            assertThat(stale.age()).isEqualTo(Duration.ofSeconds(30));
            assertThat(stale.failure().reason()).isEqualTo(Reason.ERROR_STATUS);
        });
        assertThat(result.status()).isEqualTo(new PartStatus("stale", java.util.Optional.of("error_status"),
                java.util.Optional.of("customer answered GET /customers/c-7 with HTTP 503"),
                java.util.OptionalInt.of(503), java.util.OptionalLong.of(30_000)));
        assertThat(result.isComplete()).isFalse();
    }

    @Test
    void a_last_good_answer_older_than_allowed_is_not_used() {
        Downstream customers = composer.downstream("customer", customerService.uri());
        Request<Customer> request = Request.get(customers, "/customers/c-7").json(Customer.class)
                .fallback(Fallback.lastGood(Duration.ofMinutes(5)));
        fetch(request);
        customerService.answer("/customers/c-7", 503, "");
        clock.advance(Duration.ofMinutes(6));

        PartResult<Customer> result = fetch(request);

        assertThat(result).isInstanceOf(PartResult.Missing.class);
        assertThat(result.status().reason()).contains("error_status");
    }

    @Test
    void a_default_value_stands_in_when_there_is_no_last_good_answer() throws IOException {
        Downstream gone = composer.downstream("customer", nobodyListening());

        PartResult<Customer> result = fetch(Request.get(gone, "/customers/c-7").json(Customer.class)
                .fallback(Fallback.<Customer>lastGood(Duration.ofMinutes(5)).orValue(UNKNOWN)));

        assertThat(result).isInstanceOfSatisfying(PartResult.Default.class, defaulted -> {
            assertThat(defaulted.fallback()).isEqualTo(UNKNOWN);
            assertThat(defaulted.failure().reason()).isEqualTo(Reason.CONNECTION_REFUSED);
        });
        assertThat(result.status().status()).isEqualTo("default");
    }

    @Test
    void a_fallback_never_hides_a_definitive_answer() {
        Downstream customers = composer.downstream("customer", customerService.uri());

        PartResult<Customer> result = fetch(Request.get(customers, "/customers/c-404").json(Customer.class)
                .fallback(Fallback.value(UNKNOWN)));

        assertThat(result).isInstanceOf(PartResult.Missing.class);
        assertThat(result.status().reason()).contains("not_found");
    }

    @Test
    void the_fallback_stands_in_when_the_deadline_passes() {
        Downstream customers = composer.downstream("customer", customerService.uri());
        Request<Customer> request = Request.get(customers, "/customers/c-7").json(Customer.class)
                .fallback(Fallback.lastGood(Duration.ofMinutes(5)));
        fetch(request);
        var gate = customerService.gate();
        customerService.answerAfter(gate, "/customers/c-7", 200, CUSTOMER_JSON);
        clock.advance(Duration.ofSeconds(2));

        Composition composition = composer.composition(CallContext.newFlow(), Duration.ofMillis(300));
        Part<Customer> customer = composition.part("customer", request).required();
        Composed result = composition.run();
        gate.countDown();

        assertThat(result.result(customer)).isEqualTo(new PartResult.Stale<>(CUSTOMER, Duration.ofSeconds(2),
                Failure.deadline("customer", "GET /customers/c-7", Duration.ofMillis(300))));
    }

    private static URI nobodyListening() throws IOException {
        try (ServerSocket closedSoon = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + closedSoon.getLocalPort());
        }
    }
}
