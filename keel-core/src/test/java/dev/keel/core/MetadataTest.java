package dev.keel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MetadataTest {

    private final ManualClock clock = ManualClock.at("2026-11-23T10:00:00Z");

    @Test
    void a_new_flow_is_correlated_by_its_first_message_and_has_no_cause() {
        Metadata first = Metadata.newFlow(clock);

        assertThat(first.correlationId().value()).isEqualTo(first.messageId().value().toString());
        assertThat(first.causation()).isEmpty();
        assertThat(first.trace()).isPresent();
        assertThat(first.occurredAt()).isEqualTo(clock.instant());
    }

    @Test
    void a_caused_message_keeps_the_flow_names_its_cause_and_continues_the_trace() {
        Metadata first = Metadata.newFlow(clock).withAttribute("tenant", "acme");
        clock.advance(Duration.ofSeconds(5));

        Metadata second = first.causedBy(clock);

        assertThat(second.messageId()).isNotEqualTo(first.messageId());
        assertThat(second.correlationId()).isEqualTo(first.correlationId());
        assertThat(second.causationId()).isEqualTo(first.messageId());
        assertThat(second.traceParent().traceId()).isEqualTo(first.traceParent().traceId());
        assertThat(second.traceParent().spanId()).isNotEqualTo(first.traceParent().spanId());
        assertThat(second.attributes()).containsEntry("tenant", "acme");
        assertThat(second.occurredAt()).isEqualTo(first.occurredAt().plusSeconds(5));
    }

    @Test
    void joining_an_outside_flow_keeps_its_correlation_id() {
        CorrelationId outside = new CorrelationId("req-42");

        Metadata joined = Metadata.inFlow(outside, TraceParent.parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), clock);

        assertThat(joined.correlationId()).isEqualTo(outside);
        assertThat(joined.traceParent().traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    }

    @Test
    void refuses_bad_attributes() {
        Metadata metadata = Metadata.newFlow(clock);

        assertThatThrownBy(() -> metadata.withAttribute("bad key", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad key");
        assertThatThrownBy(() -> metadata.withAttribute("k", "x".repeat(2000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1024");
    }

    @Test
    void attributes_are_immutable() {
        Metadata metadata = new Metadata(MessageId.random(), CorrelationId.random(), null, null, clock.instant(),
                new java.util.HashMap<>(Map.of("a", "b")));

        assertThatThrownBy(() -> metadata.attributes().put("c", "d")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void correlation_ids_are_bounded_visible_text() {
        assertThat(new CorrelationId("order-7f3a").value()).isEqualTo("order-7f3a");
        assertThatThrownBy(() -> new CorrelationId("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CorrelationId("has space")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CorrelationId("x".repeat(129))).isInstanceOf(IllegalArgumentException.class);
    }
}
