package dev.keel.eventstore.sourcing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import dev.keel.core.Decider;
import dev.keel.core.Decision;
import dev.keel.core.ManualClock;
import dev.keel.eventstore.codec.EventCodec;
import dev.keel.eventstore.memory.InMemoryEventStore;
import org.junit.jupiter.api.Test;

/** The repository over the in-memory store, whose clock the test controls: temporal reads to the instant. */
class InMemoryRepositoryTest {

    record Add(int amount) {
    }

    record Added(int amount) {
    }

    private final ManualClock clock = ManualClock.at("2026-11-23T10:00:00Z");
    private final InMemoryEventStore store = InMemoryEventStore.builder().clock(clock).build();
    private final Decider<Add, Integer, Added> counter = Decider.of(() -> 0,
            (add, total) -> add.amount() > 0 ? Decision.accept(new Added(add.amount())) : Decision.reject("not-positive", "add more than 0"),
            (total, added) -> total + added.amount());
    private final EventSourcedRepository<Add, Integer, Added> counters = EventSourcedRepository.builder(store, counter,
            EventCodec.builder(Added.class).register("Added", Added.class).build()).clock(clock).build();

    @Test
    void loads_the_state_as_it_was_at_any_instant() {
        Instant start = clock.instant();
        counters.handle("c", new Add(1));
        clock.advance(Duration.ofMinutes(1));
        counters.handle("c", new Add(10));
        clock.advance(Duration.ofMinutes(1));
        counters.handle("c", new Add(100));

        assertThat(counters.loadAt("c", start.minusNanos(1)).state()).isZero();
        assertThat(counters.loadAt("c", start).state()).isEqualTo(1);
        assertThat(counters.loadAt("c", start.plusSeconds(90)).state()).isEqualTo(11);
        assertThat(counters.loadAt("c", start.plusSeconds(120))).isEqualTo(new Loaded<>("c", 111, 3));
        assertThat(counters.loadAsOf("c", 2).state()).isEqualTo(11);
    }

    @Test
    void a_rejection_is_a_value_and_writes_nothing() {
        Outcome<Integer, Added> outcome = counters.handle("c", new Add(0));

        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        assertThat(store.readStream("c")).isEmpty();
    }
}
