package dev.keel.messaging.spi;

import java.util.List;

/** Publishes batches of records for one fencing id; see {@link MessageTransport}. Not thread-safe. */
public interface TransportPublisher extends AutoCloseable {

    /**
     * Publishes the records, all or nothing, and returns once every one is acknowledged.
     *
     * @throws PublisherFencedException if a later publisher with the same fencing id exists
     * @throws dev.keel.core.TransientException if the broker could not take them now (nothing of the
     *         batch is visible; the publisher is closed and a new one must be opened)
     */
    void publish(List<WireRecord> records);

    @Override
    void close();
}
