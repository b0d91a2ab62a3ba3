package dev.keel.messaging.spi;

import java.util.Set;

/**
 * What a message broker adapter implements: publishing batches of records under a fencing id, and
 * subscribing a handler in a consumer group. Keel ships a Kafka and an in-memory implementation;
 * both pass {@code dev.keel.test.messaging.MessageTransportContract}.
 *
 * <p>The contract, in short:
 * <ul>
 *   <li>Records with the same topic and key are delivered in the order they were published.</li>
 *   <li>A {@linkplain TransportPublisher#publish publish} is all or nothing and returns once the
 *       broker has acknowledged every record. Opening a publisher under a fencing id fences every
 *       publisher opened earlier under the same id: their publishes fail and nothing of an unfinished
 *       one becomes visible.</li>
 *   <li>Within a group each record goes to one subscriber; different groups each get every record; a
 *       new group starts at the beginning of the topic.</li>
 *   <li>A record's position is committed for the group only after its handler returned. A handler
 *       that throws gets the same record again (after a pause) before any later record of its
 *       partition: delivery is at least once and never skips.</li>
 *   <li>Topics are created, and used only once writable, by the transport itself (ADR 0003).</li>
 * </ul>
 */
public interface MessageTransport extends AutoCloseable {

    /**
     * A publisher for batches of records. {@code fencingId} names the one writer that may publish for
     * a piece of work (a relay partition, say); opening a publisher under it fences earlier ones.
     */
    TransportPublisher openPublisher(String fencingId);

    /** Delivers the records of {@code topics} to {@code handler}, as a member of {@code group}. */
    TransportSubscription subscribe(String group, Set<String> topics, RecordHandler handler);

    /** Closes every publisher and subscription this transport opened. */
    @Override
    void close();
}
