package dev.keel.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class WakeSignalTest {

    @Test
    void a_signal_before_the_wait_returns_at_once_and_several_count_as_one() throws InterruptedException {
        WakeSignal wake = new WakeSignal();
        wake.signal();
        wake.signal();

        assertThat(wake.await(Duration.ofMinutes(1))).isTrue();
        assertThat(wake.await(Duration.ofMillis(1))).isFalse();
    }

    @Test
    void a_wait_ends_when_another_thread_signals() throws Exception {
        WakeSignal wake = new WakeSignal();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return wake.await(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        wake.signal();

        assertThat(waiting.get(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void without_a_signal_the_wait_times_out() throws InterruptedException {
        assertThat(new WakeSignal().awaitMillis(5)).isFalse();
    }
}
