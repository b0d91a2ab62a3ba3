package dev.keel.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

import dev.keel.core.ManualClock;
import dev.keel.core.Message;
import dev.keel.core.Metadata;
import dev.keel.messaging.spi.ReceivedRecord;
import dev.keel.messaging.spi.WireRecord;
import org.junit.jupiter.api.Test;

class CloudEventsBinaryTest {

    private final ManualClock clock = ManualClock.at("2026-03-01T12:00:00Z");

    @Test
    void writes_cloudevents_binary_mode_headers_and_the_json_payload_as_value() {
        Metadata metadata = Metadata.newFlow(clock).withAttribute("tenant", "acme");
        Message<byte[]> message = new Message<>("shop.order.OrderPlaced", 2, "{\"total\":3}".getBytes(StandardCharsets.UTF_8), metadata);
        Envelope envelope = new Envelope("shop.orders", "order-7", "/shop/orders", OptionalLong.of(42), message);

        WireRecord record = CloudEventsBinary.encode(envelope);

        assertThat(record.topic()).isEqualTo("shop.orders");
        assertThat(record.key()).isEqualTo("order-7");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"total\":3}");
        Map<String, String> headers = text(record);
        assertThat(headers).containsEntry("ce_specversion", "1.0")
                .containsEntry("ce_id", metadata.messageId().toString())
                .containsEntry("ce_source", "/shop/orders")
                .containsEntry("ce_type", "shop.order.OrderPlaced")
                .containsEntry("ce_subject", "order-7")
                .containsEntry("ce_time", "2026-03-01T12:00:00Z")
                .containsEntry("content-type", "application/json")
                .containsEntry("ce_schemaversion", "2")
                .containsEntry("ce_correlationid", metadata.correlationId().value())
                .containsEntry("traceparent", metadata.traceParent().header())
                .containsEntry("ce_sequence", "0000000000000000042")
                .containsEntry("keel_attr_tenant", "acme");
    }

    @Test
    void reads_back_what_it_wrote() {
        Metadata cause = Metadata.newFlow(clock);
        Message<byte[]> message = new Message<>("shop.payment.PaymentCharged", 1, "{}".getBytes(StandardCharsets.UTF_8),
                cause.causedBy(clock).withAttribute("user", "u-1"));
        Envelope envelope = new Envelope("shop.payments", "pay-1", "/shop/payments", OptionalLong.of(3), message);

        Envelope back = CloudEventsBinary.decode(received(CloudEventsBinary.encode(envelope)));

        assertThat(back.topic()).isEqualTo(envelope.topic());
        assertThat(back.key()).isEqualTo(envelope.key());
        assertThat(back.source()).isEqualTo(envelope.source());
        assertThat(back.sequence()).isEqualTo(envelope.sequence());
        assertThat(back.message().metadata()).isEqualTo(message.metadata());
        assertThat(back.message().type()).isEqualTo(message.type());
        assertThat(back.payloadJson()).isEqualTo("{}");
    }

    @Test
    void reads_what_debeziums_outbox_event_router_emits_for_a_keel_outbox_row() {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put("id", "0195f4a0-8d1e-7c2a-9b3c-4d5e6f708192".getBytes(StandardCharsets.UTF_8));
        headers.put("ce_type", "shop.order.OrderPlaced".getBytes(StandardCharsets.UTF_8));
        headers.put("ce_sequence", "7".getBytes(StandardCharsets.UTF_8));
        headers.put("keel_headers", ("{\"ce_source\":\"/shop/orders\",\"ce_time\":\"2026-03-01T12:00:00Z\","
                + "\"ce_correlationid\":\"flow-1\",\"ce_schemaversion\":\"1\"}").getBytes(StandardCharsets.UTF_8));
        WireRecord debezium = new WireRecord("shop.orders", "order-7", headers, "{\"total\":3}".getBytes(StandardCharsets.UTF_8));

        Envelope envelope = CloudEventsBinary.decode(received(debezium));

        assertThat(envelope.id().toString()).isEqualTo("0195f4a0-8d1e-7c2a-9b3c-4d5e6f708192");
        assertThat(envelope.sequence()).hasValue(7);
        assertThat(envelope.source()).isEqualTo("/shop/orders");
        assertThat(envelope.message().correlationId().value()).isEqualTo("flow-1");
        assertThat(envelope.message().metadata().occurredAt()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
    }

    @Test
    void a_record_without_an_id_or_type_cannot_be_decoded() {
        WireRecord noId = new WireRecord("t", "k", Map.of("ce_type", bytes("x.Y")), bytes("{}"));
        WireRecord noType = new WireRecord("t", "k", Map.of("ce_id", bytes("0195f4a0-8d1e-7c2a-9b3c-4d5e6f708192")), bytes("{}"));

        assertThatThrownBy(() -> CloudEventsBinary.decode(received(noId)))
                .isInstanceOf(UndecodableMessageException.class).hasMessageContaining("ce_id").hasMessageContaining("t/0@5");
        assertThatThrownBy(() -> CloudEventsBinary.decode(received(noType)))
                .isInstanceOf(UndecodableMessageException.class).hasMessageContaining("ce_type");
    }

    @Test
    void a_malformed_header_makes_a_record_undecodable_and_says_which() {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put("ce_id", bytes("0195f4a0-8d1e-7c2a-9b3c-4d5e6f708192"));
        headers.put("ce_type", bytes("x.Y"));
        headers.put("ce_sequence", bytes("minus three"));

        assertThatThrownBy(() -> CloudEventsBinary.decode(received(new WireRecord("t", "k", headers, bytes("{}")))))
                .isInstanceOf(UndecodableMessageException.class).hasMessageContaining("ce_sequence").hasMessageContaining("malformed");
    }

    @Test
    void a_key_sequence_is_written_as_text_that_sorts_like_the_number() {
        assertThat(CloudEventsBinary.sequenceText(7)).isEqualTo("0000000000000000007");
        assertThat(CloudEventsBinary.sequenceText(Long.MAX_VALUE)).isEqualTo("9223372036854775807");
        assertThat(CloudEventsBinary.sequenceText(99).compareTo(CloudEventsBinary.sequenceText(100))).isNegative();
    }

    @Test
    void an_envelope_refuses_a_sequence_below_one_and_a_blank_source() {
        Message<byte[]> message = Message.of("x.Y", bytes("{}"), clock);

        assertThatThrownBy(() -> new Envelope("t", "k", "/s", OptionalLong.of(0), message))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("starts at 1");
        assertThatThrownBy(() -> new Envelope("t", "k", " ", OptionalLong.empty(), message))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("source");
        assertThatThrownBy(() -> new Envelope("bad topic", "k", "/s", OptionalLong.empty(), message))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic name");
    }

    private static ReceivedRecord received(WireRecord record) {
        return new ReceivedRecord(record, 0, 5, Instant.parse("2026-03-01T12:00:01Z"));
    }

    private static Map<String, String> text(WireRecord record) {
        Map<String, String> text = new LinkedHashMap<>();
        record.headers().forEach((name, value) -> text.put(name, new String(value, StandardCharsets.UTF_8)));
        return text;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
