package dev.keel.eventstore;

import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * What every store checks and reports, whatever its storage.
 *
 * @param name               the store's name in metrics ({@code store} tag) and logs
 * @param maxEventBytes      the largest event accepted: UTF-8 bytes of payload and metadata together
 *                           (default 1 MiB)
 * @param maxEventsPerAppend the most events one append may carry (default 10,000)
 * @param meterRegistry      where metrics go (default: nowhere)
 */
public record EventStoreSettings(String name, int maxEventBytes, int maxEventsPerAppend, MeterRegistry meterRegistry) {

    public static final int DEFAULT_MAX_EVENT_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_EVENTS_PER_APPEND = 10_000;

    public EventStoreSettings {
        if (name == null || name.isBlank()) {
            throw InvalidRequestException.invalidOption("an event store needs a name");
        }
        if (maxEventBytes < 64) {
            throw InvalidRequestException.invalidOption("the largest event must be at least 64 bytes, got " + maxEventBytes);
        }
        if (maxEventsPerAppend < 1) {
            throw InvalidRequestException.invalidOption("an append must be allowed at least one event, got " + maxEventsPerAppend);
        }
        Objects.requireNonNull(meterRegistry, "meterRegistry");
    }

    public static EventStoreSettings defaults(String name) {
        return new EventStoreSettings(name, DEFAULT_MAX_EVENT_BYTES, DEFAULT_MAX_EVENTS_PER_APPEND, new CompositeMeterRegistry());
    }

    public EventStoreSettings withMaxEventBytes(int bytes) {
        return new EventStoreSettings(name, bytes, maxEventsPerAppend, meterRegistry);
    }

    public EventStoreSettings withMaxEventsPerAppend(int events) {
        return new EventStoreSettings(name, maxEventBytes, events, meterRegistry);
    }

    public EventStoreSettings withMeterRegistry(MeterRegistry registry) {
        return new EventStoreSettings(name, maxEventBytes, maxEventsPerAppend, registry);
    }

    public EventStoreSettings withName(String newName) {
        return new EventStoreSettings(newName, maxEventBytes, maxEventsPerAppend, meterRegistry);
    }
}
