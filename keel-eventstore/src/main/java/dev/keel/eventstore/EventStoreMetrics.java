package dev.keel.eventstore;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The store's meters, all tagged {@code store=<name>}:
 * <ul>
 *   <li>{@code keel.eventstore.appends} (counter, tag {@code outcome}: {@code written}, {@code already_stored},
 *       {@code conflict}, {@code refused} (archived, deleted, duplicate ids), {@code failed})</li>
 *   <li>{@code keel.eventstore.events.appended} (counter): events written</li>
 *   <li>{@code keel.eventstore.conflicts} (counter): appends refused for a wrong expected version</li>
 *   <li>{@code keel.eventstore.subscription.delivered} (counter, tag {@code subscription})</li>
 *   <li>{@code keel.eventstore.subscription.lag} (gauge, tag {@code subscription}): about how many events
 *       the subscription is behind the newest committed one — including events committed but held back
 *       by an older running transaction (ADR 0002), which is where a long transaction shows</li>
 * </ul>
 */
final class EventStoreMetrics {

    private final MeterRegistry registry;
    private final String store;
    private final Counter written;
    private final Counter alreadyStored;
    private final Counter conflicts;
    private final Counter conflictAppends;
    private final Counter refused;
    private final Counter failed;
    private final Counter eventsAppended;

    EventStoreMetrics(MeterRegistry registry, String store) {
        this.registry = registry;
        this.store = store;
        this.written = appends("written");
        this.alreadyStored = appends("already_stored");
        this.conflictAppends = appends("conflict");
        this.refused = appends("refused");
        this.failed = appends("failed");
        this.conflicts = Counter.builder("keel.eventstore.conflicts").tag("store", store)
                .description("appends refused because the stream was not at the expected version").register(registry);
        this.eventsAppended = Counter.builder("keel.eventstore.events.appended").tag("store", store)
                .description("events written").register(registry);
    }

    private Counter appends(String outcome) {
        return Counter.builder("keel.eventstore.appends").tag("store", store).tag("outcome", outcome)
                .description("appends by outcome").register(registry);
    }

    void appended(AppendResult result, int events) {
        if (result.alreadyStored()) {
            alreadyStored.increment();
        } else {
            written.increment();
            eventsAppended.increment(events);
        }
    }

    void conflict() {
        conflicts.increment();
        conflictAppends.increment();
    }

    void refused() {
        refused.increment();
    }

    void failed() {
        failed.increment();
    }

    Counter delivered(String subscription) {
        return Counter.builder("keel.eventstore.subscription.delivered").tag("store", store).tag("subscription", subscription)
                .description("events handed to the subscription's handler").register(registry);
    }

    <T> Gauge lag(String subscription, T state, ToDoubleFunction<T> lag) {
        return Gauge.builder("keel.eventstore.subscription.lag", state, lag).tag("store", store).tag("subscription", subscription)
                .description("about how many committed events the subscription has not handled yet").register(registry);
    }

    void remove(Meter meter) {
        registry.remove(meter);
    }
}
