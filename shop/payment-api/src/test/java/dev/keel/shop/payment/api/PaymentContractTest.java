package dev.keel.shop.payment.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.UUID;

import dev.keel.core.json.JsonCodec;
import org.junit.jupiter.api.Test;

class PaymentContractTest {

    @Test
    void commands_and_events_survive_the_wire() {
        JsonCodec json = JsonCodec.tolerant();
        ChargePayment charge = new ChargePayment(UUID.randomUUID(), UUID.randomUUID(), new BigDecimal("39.80"));
        PaymentCharged charged = new PaymentCharged(charge.orderId(), UUID.randomUUID(), charge.amount());

        assertThat(json.fromJson(json.toJson(charge), ChargePayment.class)).isEqualTo(charge);
        assertThat(json.fromJson(json.toJson(charged), PaymentCharged.class)).isEqualTo(charged);
    }

    @Test
    void provider_settings_are_bounded() {
        assertThatThrownBy(() -> new ProviderSettings(1.5, 0, 0)).hasMessageContaining("declineRate must be between 0 and 1");
        assertThatThrownBy(() -> new ProviderSettings(0, -1, 0)).hasMessageContaining("latencyMillis must not be negative");
        assertThat(new ProviderSettings(0.1, 50, 0.05).declineRate()).isEqualTo(0.1);
    }
}
