package dev.keel.eventstore.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;

import dev.keel.core.ManualClock;
import dev.keel.core.Message;
import dev.keel.core.Metadata;
import dev.keel.eventstore.EventData;
import dev.keel.eventstore.RecordedEvent;
import dev.keel.postgres.LogPosition;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    sealed interface Shipment {
    }

    /** Version 3: the address has a country, and the weight is in grams (version 2 had kilograms). */
    record Shipped(String address, String country, int grams) implements Shipment {
    }

    record Delivered(String to) implements Shipment {
    }

    private final ManualClock clock = ManualClock.at("2026-11-23T10:00:00Z");

    private final EventCodec<Shipment> codec = EventCodec.builder(Shipment.class)
            .register("shop.shipping.Shipped", 3, Shipped.class)
            .register("shop.shipping.Delivered", Delivered.class)
            .upcast("shop.shipping.Shipped", 1, v1 -> v1.put("kilograms", 1))
            .upcast("shop.shipping.Shipped", 2, v2 -> {
                v2.put("grams", v2.remove("kilograms").asInt() * 1000);
                v2.put("country", "DE");
                return v2;
            })
            .build();

    private static RecordedEvent stored(EventData data) {
        return new RecordedEvent("shipment-1", 1, new LogPosition(1, 1), data.eventId(), data.type(), data.schemaVersion(),
                data.payload(), data.metadata(), Instant.parse("2026-11-23T10:00:01Z"));
    }

    @Test
    void encodes_an_event_with_its_type_version_and_metadata_and_decodes_it_back() {
        Metadata metadata = Metadata.newFlow(clock).withAttribute("tenant", "eu");
        EventData data = codec.encode(new Shipped("Main St 1", "DE", 1200), metadata);

        assertThat(data.type()).isEqualTo("shop.shipping.Shipped");
        assertThat(data.schemaVersion()).isEqualTo(3);
        assertThat(data.eventId()).isEqualTo(metadata.messageId().value());

        Message<Shipment> back = codec.decode(stored(data));
        assertThat(back.payload()).isEqualTo(new Shipped("Main St 1", "DE", 1200));
        assertThat(back.metadata()).isEqualTo(metadata);
    }

    @Test
    void lifts_a_version_1_event_through_every_upcaster_to_the_current_version() {
        EventData v1 = new EventData(UUID.randomUUID(), "shop.shipping.Shipped", 1, "{\"address\":\"Main St 1\"}", "{}");

        Message<Shipment> lifted = codec.decode(stored(v1));

        assertThat(lifted.schemaVersion()).isEqualTo(3);
        assertThat(lifted.payload()).isEqualTo(new Shipped("Main St 1", "DE", 1000));
    }

    @Test
    void gives_events_without_keel_metadata_a_flow_of_their_own() {
        EventData bare = EventData.of("shop.shipping.Delivered", "{\"to\":\"ann\"}");

        Metadata metadata = codec.decode(stored(bare)).metadata();

        assertThat(metadata.messageId().value()).isEqualTo(bare.eventId());
        assertThat(metadata.correlationId().value()).isEqualTo(bare.eventId().toString());
        assertThat(metadata.occurredAt()).isEqualTo(Instant.parse("2026-11-23T10:00:01Z"));
    }

    @Test
    void says_why_it_cannot_decode_an_event() {
        assertThatThrownBy(() -> codec.decode(stored(EventData.of("shop.shipping.Lost", "{}"))))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("no class is registered for event type shop.shipping.Lost");
        assertThatThrownBy(() -> codec.decode(stored(EventData.of("shop.shipping.Delivered", "{}").withSchemaVersion(2))))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("knows only up to 1");
        assertThatThrownBy(() -> codec.decode(stored(EventData.of("shop.shipping.Delivered", "{\"to\":[1]}"))))
                .isInstanceOfSatisfying(EventDecodingException.class, e -> {
                    assertThat(e.type()).isEqualTo("shop.shipping.Delivered");
                    assertThat(e.isTransient()).isFalse();
                });
        EventCodec<Shipment> withoutUpcasters = EventCodec.builder(Shipment.class).register("shop.shipping.Shipped", 3, Shipped.class).build();
        assertThatThrownBy(() -> withoutUpcasters.decode(stored(EventData.of("shop.shipping.Shipped", "{}"))))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("no upcaster lifts shop.shipping.Shipped from version 1");
    }

    @Test
    void refuses_to_register_a_type_or_class_twice_or_a_reserved_type() {
        assertThatThrownBy(() -> EventCodec.builder(Shipment.class).register("a.B", Shipped.class).register("a.B", Delivered.class))
                .hasMessageContaining("registered twice");
        assertThatThrownBy(() -> EventCodec.builder(Shipment.class).register("a.B", Shipped.class).register("a.C", Shipped.class))
                .hasMessageContaining("registered twice");
        assertThatThrownBy(() -> EventCodec.builder(Shipment.class).register("$own", Shipped.class)).hasMessageContaining("Keel's own");
        assertThatThrownBy(() -> EventCodec.builder(Shipment.class).build()).hasMessageContaining("at least one");
    }

    @Test
    void upcasters_know_which_versions_they_can_lift() {
        Upcasters upcasters = Upcasters.builder().add("T", 1, json -> json).add("T", 2, json -> json).build();
        assertThat(upcasters.canLift("T", 1, 3)).isTrue();
        assertThat(upcasters.canLift("T", 2, 4)).isFalse();
        assertThat(upcasters.canLift("T", 3, 3)).isTrue();
        assertThat(upcasters.canLift("T", 3, 2)).isFalse();
        assertThatThrownBy(() -> Upcasters.builder().add("T", 1, json -> json).add("T", 1, json -> json)).hasMessageContaining("two upcasters");
    }
}
