package dev.keel.shop.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SettingsTest {

    private final Settings settings = new Settings(Map.of("payment.declineRate", "0.25", "payment.latency", "150ms",
            "relay.poll", "PT2S", "bad.number", "lots"));

    @Test
    void reads_typed_values_with_defaults() {
        assertThat(settings.decimal("payment.declineRate", 0)).isEqualTo(0.25);
        assertThat(settings.duration("payment.latency", Duration.ZERO)).isEqualTo(Duration.ofMillis(150));
        assertThat(settings.duration("relay.poll", Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.integer("missing", 7)).isEqualTo(7);
    }

    @Test
    void names_the_setting_whose_value_is_wrong() {
        assertThatThrownBy(() -> settings.integer("bad.number", 1)).hasMessage("setting bad.number must be an integer, got 'lots'");
        assertThatThrownBy(() -> settings.duration("bad.number", Duration.ZERO)).hasMessageContaining("setting bad.number must be a duration");
    }
}
