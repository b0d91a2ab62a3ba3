package dev.keel.composition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Misuse is refused at once with a clear message, before anything is called. */
class MisuseTest {

    private final Composer composer = Composer.builder().build();
    private final Downstream orders = composer.downstream("order", URI.create("http://127.0.0.1:9"));

    @AfterEach
    void stop() {
        composer.close();
    }

    private Composition composition() {
        return composer.composition(CallContext.newFlow(), Duration.ofSeconds(1));
    }

    @Test
    void path_arguments_are_encoded_as_single_segments() {
        Request<String> request = Request.get(orders, "/orders/{}/lines/{}", "a/b c", 7).query("q", "x&y=ü").text();

        assertThat(request.path()).isEqualTo("/orders/a%2Fb%20c/lines/7?q=x%26y%3D%C3%BC");
        assertThat(request.uri()).isEqualTo(URI.create("http://127.0.0.1:9/orders/a%2Fb%20c/lines/7?q=x%26y%3D%C3%BC"));
    }

    @Test
    void a_path_whose_placeholders_do_not_match_the_arguments_is_refused() {
        assertThatThrownBy(() -> Request.get(orders, "/orders/{}/lines/{}", "o-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the path '/orders/{}/lines/{}' has more {} than the 1 arguments given");
        assertThatThrownBy(() -> Request.get(orders, "/orders/{}", "o-1", "o-2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the path '/orders/{}' has 1 {} but 2 arguments were given");
        assertThatThrownBy(() -> Request.get(orders, "orders"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a path starts with '/', got 'orders'");
    }

    @Test
    void the_headers_a_composition_sets_itself_cannot_be_set_by_hand() {
        assertThatThrownBy(() -> Request.get(orders, "/orders").header("X-Correlation-Id", "mine"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set by the composition");
        assertThatThrownBy(() -> Request.get(orders, "/orders").header("Host", "elsewhere"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the header 'Host' cannot be set");
    }

    @Test
    void a_get_has_no_body_and_a_post_needs_one() {
        assertThatThrownBy(() -> Request.get(orders, "/orders").body("x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a GET has no body");
        assertThatThrownBy(() -> Request.post(orders, "/orders").text())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a POST needs a body");
    }

    @Test
    void two_parts_cannot_share_a_name() {
        Composition composition = composition();
        composition.part("order", Request.get(orders, "/orders/1").text());

        assertThatThrownBy(() -> composition.part("order", Request.get(orders, "/orders/2").text()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the composition already has a part named 'order'");
    }

    @Test
    void a_part_name_must_be_usable_as_a_json_field() {
        assertThatThrownBy(() -> composition().part("an order", Request.get(orders, "/orders/1").text()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a part name is a letter");
    }

    @Test
    void a_part_cannot_depend_on_a_part_of_another_composition() {
        Part<String> elsewhere = composition().part("order", Request.get(orders, "/orders/1").text());

        assertThatThrownBy(() -> composition().part("customer", elsewhere, o -> Request.get(orders, "/c").text()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Part[order] belongs to another composition");
    }

    @Test
    void a_composition_runs_once_and_needs_a_part() {
        assertThatThrownBy(() -> composition().run())
                .isInstanceOf(IllegalStateException.class).hasMessage("a composition needs at least one part");
        Composition composition = composition();
        Part<String> order = composition.part("order", Request.get(orders, "/orders/1").text());
        composition.run();

        assertThatThrownBy(composition::run)
                .isInstanceOf(IllegalStateException.class).hasMessage("cannot run it: the composition has already run");
        assertThatThrownBy(order::required)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot mark part 'order' required: the composition has already run");
    }

    @Test
    void deadlines_timeouts_and_downstreams_are_checked() {
        assertThatThrownBy(() -> composer.composition(CallContext.newFlow(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deadline must be positive");
        assertThatThrownBy(() -> DownstreamOptions.defaults().callTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("call timeout must be positive");
        assertThatThrownBy(() -> composer.downstream("order", URI.create("http://127.0.0.1:10")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
        assertThatThrownBy(() -> composer.downstream("ftp", URI.create("ftp://127.0.0.1/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute http(s) URI");
        assertThatThrownBy(() -> RetryPolicy.attempts(1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 to 10 attempts");
        assertThatThrownBy(() -> BulkheadPolicy.of(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one call");
        assertThatThrownBy(() -> CachePolicy.ttl(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("time to live must be positive");
        assertThatThrownBy(() -> Fallback.lastGood(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
    }

    @Test
    void a_value_is_only_looked_up_by_a_part_of_the_same_composition() {
        Composition composition = composition();
        composition.part("order", Request.get(orders, "/orders/1").text());
        Composed result = composition.run();
        Part<String> foreign = composition().part("order", Request.get(orders, "/orders/1").text());

        assertThatThrownBy(() -> result.value(foreign)).isInstanceOf(IllegalArgumentException.class);
        assertThat(result.isComplete()).isFalse();
    }
}
