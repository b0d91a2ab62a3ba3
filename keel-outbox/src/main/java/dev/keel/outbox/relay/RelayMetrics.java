package dev.keel.outbox.relay;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The relay's meters, tagged with the relay group: {@code keel.outbox.*}. */
final class RelayMetrics {

    private final Counter published;
    private final Timer lag;
    private final AtomicInteger owned = new AtomicInteger();

    <T> RelayMetrics(MeterRegistry registry, String relay, T backlogSource, ToDoubleFunction<T> backlog) {
        published = Counter.builder("keel.outbox.relay.published").tag("relay", relay)
                .description("rows published and acknowledged by the broker").register(registry);
        lag = Timer.builder("keel.outbox.relay.lag").tag("relay", relay)
                .description("from a row's write to the broker's acknowledgement of it")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        Gauge.builder("keel.outbox.backlog", backlogSource, backlog).tag("relay", relay)
                .description("committed rows not yet published, in all partitions of the relay group").register(registry);
        Gauge.builder("keel.outbox.relay.partitions", owned, AtomicInteger::get).tag("relay", relay)
                .description("partitions this relay instance holds").register(registry);
    }

    void published(int rows) {
        published.increment(rows);
    }

    void lag(Duration duration) {
        lag.record(duration.isNegative() ? Duration.ZERO : duration);
    }

    void owned(int partitions) {
        owned.set(partitions);
    }
}
