package dev.keel.shop.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;

import dev.keel.shop.platform.Settings;
import dev.keel.shop.platform.ShopService;
import org.junit.jupiter.api.Test;

class GatewayServiceTest {

    @Test
    void the_launcher_finds_the_gateway_on_port_8080_without_topics() {
        ShopService gateway = ServiceLoader.load(ShopService.class).stream().map(ServiceLoader.Provider::get)
                .filter(service -> service.name().equals("gateway")).findFirst().orElseThrow();

        assertThat(gateway).isInstanceOf(GatewayService.class);
        assertThat(gateway.defaultPort()).isEqualTo(8080);
        assertThat(gateway.topics()).isEmpty();
    }

    @Test
    void settings_have_defaults_and_order_view_gets_time_for_its_waiting_queries() {
        GatewaySettings settings = new GatewaySettings(Settings.none());

        assertThat(settings.forwardTimeout("customer")).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.forwardTimeout("order-view")).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.callTimeout("payment")).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.detailsDeadline()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.maxBodyBytes()).isEqualTo(64 * 1024);
    }

    @Test
    void a_setting_for_one_service_beats_the_general_one() {
        GatewaySettings settings = new GatewaySettings(new Settings(Map.of(
                "gateway.forwardTimeout", "3s", "gateway.payment.forwardTimeout", "8s", "gateway.callTimeout", "250ms")));

        assertThat(settings.forwardTimeout("payment")).isEqualTo(Duration.ofSeconds(8));
        assertThat(settings.forwardTimeout("customer")).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.forwardTimeout("order-view")).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.callTimeout("order")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void a_setting_out_of_range_fails_at_start_up_naming_the_setting() {
        assertThatThrownBy(() -> new GatewaySettings(new Settings(Map.of("gateway.circuitBreaker.failureRate", "150"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gateway.circuitBreaker.failureRate").hasMessageContaining("150");
        assertThatThrownBy(() -> new GatewaySettings(new Settings(Map.of("gateway.detailsDeadline", "soon"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gateway.detailsDeadline");
    }
}
