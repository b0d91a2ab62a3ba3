package dev.keel.messaging.inbox;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The inbox's meters, tagged with the consumer: {@code keel.messaging.inbox.*}. */
final class InboxMetrics {

    private final Counter handled;
    private final Counter duplicates;
    private final Counter gaps;
    private final Counter failures;
    private final AtomicLong parked = new AtomicLong();

    InboxMetrics(MeterRegistry registry, String consumer) {
        handled = Counter.builder("keel.messaging.inbox.handled").tag("consumer", consumer)
                .description("messages handled, their effects committed").register(registry);
        duplicates = Counter.builder("keel.messaging.inbox.duplicates").tag("consumer", consumer)
                .description("redelivered messages dropped without a second effect").register(registry);
        gaps = Counter.builder("keel.messaging.inbox.gaps").tag("consumer", consumer)
                .description("messages that arrived before an earlier message of their key").register(registry);
        failures = Counter.builder("keel.messaging.inbox.failures").tag("consumer", consumer)
                .description("handler failures (each attempt)").register(registry);
        Gauge.builder("keel.messaging.inbox.parked", parked, AtomicLong::get).tag("consumer", consumer)
                .description("messages parked as dead letters, waiting for an operator").register(registry);
    }

    void handled() {
        handled.increment();
    }

    void duplicate() {
        duplicates.increment();
    }

    void gap() {
        gaps.increment();
    }

    void failure() {
        failures.increment();
    }

    void parked(long count) {
        parked.set(count);
    }
}
