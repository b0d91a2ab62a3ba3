package dev.keel.eventstore.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import dev.keel.eventstore.codec.Upcasters;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {

    /** Version 2 of the state: version 1 had "sum" instead of "total". */
    record Counter(long total, int count) {
    }

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private final SnapshotCodec<Counter> codec = SnapshotCodec.of("Counter", 2, Counter.class)
            .withUpcasters(Upcasters.builder().add("Counter", 1, v1 -> {
                v1.set("total", v1.remove("sum"));
                return v1;
            }).build());

    @Test
    void encodes_a_state_with_its_type_and_version_and_decodes_it_back() {
        Snapshot snapshot = codec.encode("counter-1", 7, new Counter(42, 7), NOW);

        assertThat(snapshot.stateType()).isEqualTo("Counter");
        assertThat(snapshot.schemaVersion()).isEqualTo(2);
        assertThat(snapshot.streamVersion()).isEqualTo(7);
        assertThat(codec.decode(snapshot)).contains(new Counter(42, 7));
    }

    @Test
    void lifts_a_version_1_snapshot() {
        Snapshot v1 = new Snapshot("counter-1", 3, "Counter", 1, "{\"sum\":6,\"count\":3}", NOW);

        assertThat(codec.decode(v1)).contains(new Counter(6, 3));
    }

    @Test
    void ignores_snapshots_it_cannot_use_rather_than_guess() {
        SnapshotCodec<Counter> noUpcasters = SnapshotCodec.of("Counter", 2, Counter.class);
        assertThat(noUpcasters.decode(new Snapshot("c", 3, "Counter", 1, "{\"sum\":6,\"count\":3}", NOW))).isEmpty();
        assertThat(codec.decode(new Snapshot("c", 3, "Counter", 3, "{\"total\":6,\"count\":3}", NOW))).as("newer").isEmpty();
        assertThat(codec.decode(new Snapshot("c", 3, "Counter", 2, "{\"total\":\"six\"}", NOW))).as("unreadable").isEmpty();
        assertThat(codec.decode(new Snapshot("c", 3, "Other", 2, "{\"total\":6,\"count\":3}", NOW))).as("other type").isEmpty();
    }
}
