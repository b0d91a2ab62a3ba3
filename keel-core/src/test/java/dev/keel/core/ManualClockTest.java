package dev.keel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class ManualClockTest {

    @Test
    void moves_only_when_told() {
        ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");

        assertThat(clock.instant()).isEqualTo(clock.instant());
        clock.advance(Duration.ofMinutes(3));

        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:03:00Z"));
        assertThat(clock.millis()).isEqualTo(Instant.parse("2026-01-01T00:03:00Z").toEpochMilli());
    }

    @Test
    void refuses_to_run_backwards_by_advancing() {
        ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_clock_in_another_zone_shares_the_same_time() {
        ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
        var inParis = clock.withZone(java.time.ZoneId.of("Europe/Paris"));

        clock.advance(Duration.ofHours(1));

        assertThat(inParis.instant()).isEqualTo(clock.instant());
    }
}
