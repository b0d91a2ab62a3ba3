package dev.keel.eventstore;

/**
 * The event store: the union of its role interfaces. Depend on the smallest role that does the job
 * ({@link AppendToStream}, {@link ReadStream}, {@link ReadAllStreams}, {@link SubscribeToAll},
 * {@link DescribeStream}, {@link ArchiveStream}, {@link DeleteStream}); build one with
 * {@code PostgresEventStore.builder(dataSource)} or {@code InMemoryEventStore.create()}.
 */
public interface EventStore extends AppendToStream, ReadStream, ReadAllStreams, SubscribeToAll, DescribeStream,
        ArchiveStream, DeleteStream, AutoCloseable {

    /** Stops its subscriptions and background threads. */
    @Override
    void close();
}
