package dev.keel.messaging.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = RetryPolicy.exponential(5, Duration.ofMillis(100), Duration.ofSeconds(1));

    @Test
    void backs_off_exponentially_with_jitter_between_half_and_all_of_the_step() {
        for (int i = 0; i < 200; i++) {
            assertThat(policy.backoffAfter(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(policy.backoffAfter(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        }
    }

    @Test
    void never_waits_longer_than_the_maximum() {
        for (int i = 0; i < 200; i++) {
            assertThat(policy.backoffAfter(60)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        }
    }

    @Test
    void allows_as_many_attempts_as_it_says() {
        assertThat(policy.allowsAnotherAfter(4)).isTrue();
        assertThat(policy.allowsAnotherAfter(5)).isFalse();
    }

    @Test
    void refuses_nonsense() {
        assertThatThrownBy(() -> RetryPolicy.exponential(3, Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial backoff");
        assertThatThrownBy(() -> RetryPolicy.exponential(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximum backoff");
        assertThatThrownBy(() -> GapPolicy.holdBack(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hold-back");
    }
}
