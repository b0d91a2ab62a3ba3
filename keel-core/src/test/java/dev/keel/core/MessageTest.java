package dev.keel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MessageTest {

    private final ManualClock clock = ManualClock.at("2026-11-23T10:00:00Z");

    @Test
    void a_reply_belongs_to_the_same_flow_and_names_its_cause() {
        Message<String> command = Message.of("shop.payment.ChargePayment", "charge", clock);

        Message<String> reply = command.reply("shop.payment.PaymentCharged", "ok", clock);

        assertThat(reply.correlationId()).isEqualTo(command.correlationId());
        assertThat(reply.metadata().causationId()).isEqualTo(command.id());
        assertThat(reply.schemaVersion()).isEqualTo(1);
    }

    @Test
    void refuses_a_bad_type_a_bad_version_or_a_missing_payload() {
        Metadata metadata = Metadata.newFlow(clock);

        assertThatThrownBy(() -> new Message<>(" ", 1, "x", metadata)).hasMessageContaining("message type");
        assertThatThrownBy(() -> new Message<>("a.B", 0, "x", metadata)).hasMessageContaining(">= 1");
        assertThatThrownBy(() -> new Message<>("a.B", 1, null, metadata)).hasMessageContaining("payload of a.B");
    }

    @Test
    void maps_its_payload_and_keeps_everything_else() {
        Message<String> message = Message.of("t.Number", "41", clock);

        Message<Integer> mapped = message.mapPayload(Integer::parseInt).mapPayload(n -> n + 1);

        assertThat(mapped.payload()).isEqualTo(42);
        assertThat(mapped.metadata()).isEqualTo(message.metadata());
        assertThat(mapped.type()).isEqualTo("t.Number");
    }
}
