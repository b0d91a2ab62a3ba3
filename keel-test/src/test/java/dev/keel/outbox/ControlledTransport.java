package dev.keel.outbox;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keel.messaging.spi.MessageTransport;
import dev.keel.messaging.spi.RecordHandler;
import dev.keel.messaging.spi.TransportPublisher;
import dev.keel.messaging.spi.TransportSubscription;
import dev.keel.messaging.spi.WireRecord;

/**
 * A transport that runs a hook before each publish (to fail it, hold it up, or crash the JVM) and
 * one after it was acknowledged; otherwise the real one.
 */
final class ControlledTransport implements MessageTransport {

    interface Hook {
        void run(int publishNumber, List<WireRecord> records) throws Exception;
    }

    private final MessageTransport delegate;
    private final AtomicInteger publishes = new AtomicInteger();
    private final List<RuntimeException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Hook before = (n, records) -> { };
    private volatile Hook after = (n, records) -> { };

    ControlledTransport(MessageTransport delegate) {
        this.delegate = delegate;
    }

    ControlledTransport beforePublish(Hook hook) {
        this.before = hook;
        return this;
    }

    ControlledTransport afterAcknowledged(Hook hook) {
        this.after = hook;
        return this;
    }

    int publishes() {
        return publishes.get();
    }

    /** What the real publishes threw. */
    List<RuntimeException> failures() {
        return failures;
    }

    @Override
    public TransportPublisher openPublisher(String fencingId) {
        TransportPublisher real = delegate.openPublisher(fencingId);
        return new TransportPublisher() {
            @Override
            public void publish(List<WireRecord> records) {
                int number = publishes.incrementAndGet();
                run(before, number, records);
                try {
                    real.publish(records);
                } catch (RuntimeException e) {
                    failures.add(e);
                    throw e;
                }
                run(after, number, records);
            }

            @Override
            public void close() {
                real.close();
            }
        };
    }

    private static void run(Hook hook, int number, List<WireRecord> records) {
        try {
            hook.run(number, records);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public TransportSubscription subscribe(String group, Set<String> topics, RecordHandler handler) {
        return delegate.subscribe(group, topics, handler);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
