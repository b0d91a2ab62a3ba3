package dev.keel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void time_ordered_uuids_are_version_7_and_carry_their_time() {
        ManualClock clock = ManualClock.at("2026-11-23T10:00:00.123Z");

        UUID id = Uuids.timeOrdered(clock);

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(Instant.ofEpochMilli(Uuids.unixMillis(id))).isEqualTo(clock.instant());
    }

    @Test
    void time_ordered_uuids_strictly_increase_even_within_one_millisecond() {
        ManualClock frozen = ManualClock.at("2030-01-01T00:00:00Z");
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(Uuids.timeOrdered(frozen));
        }

        for (int i = 1; i < ids.size(); i++) {
            assertThat(compareUnsigned(ids.get(i - 1), ids.get(i))).as("id %d", i).isNegative();
        }
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
    }

    private static int compareUnsigned(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    @Test
    void message_ids_parse_and_reject_garbage_clearly() {
        MessageId id = MessageId.random();

        assertThat(MessageId.parse(id.toString())).isEqualTo(id);
        assertThatThrownBy(() -> MessageId.parse("nope")).hasMessage("not a message id (a UUID): 'nope'");
    }

    @Test
    void trace_parents_round_trip_the_w3c_header() {
        String header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        TraceParent parsed = TraceParent.parse(header);

        assertThat(parsed.header()).isEqualTo(header);
        assertThat(parsed.sampled()).isTrue();
        assertThat(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00").sampled()).isFalse();
        assertThat(TraceParent.newRoot().header()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }

    @Test
    void trace_parents_refuse_invalid_headers() {
        assertThatThrownBy(() -> TraceParent.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TraceParent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TraceParent.parse("garbage")).hasMessageContaining("not a W3C traceparent");
    }
}
