package dev.keel.eventstore;

import java.util.List;
import java.util.Optional;

import dev.keel.postgres.LogPosition;

/**
 * The storage engine under an {@link EventStore} (SPI): what an adapter implements. The store in
 * front of it ({@link EventStores#create}) validates every request, keeps the metrics and runs
 * subscriptions, so an engine only stores and reads. Arguments arrive checked: stream ids are valid,
 * {@link Append}s are validated, limits are positive.
 *
 * <p>Every engine must pass the contract suite {@code dev.keel.test.eventstore.EventStoreContract}
 * of {@code keel-test}.
 */
public interface EventStorage extends AutoCloseable {

    /** Appends atomically with its version check; idempotent for an exact retry (see {@link AppendToStream}). */
    AppendResult append(Append append);

    /** See {@link ReadStream#readStream(String, StreamRead)}. */
    List<RecordedEvent> readStream(String streamId, StreamRead read);

    /** See {@link ReadAllStreams#readAll(LogPosition, EventFilter, int)}; gap-free. */
    List<RecordedEvent> readAll(LogPosition after, EventFilter filter, int limit);

    /** The newest position readers can see now. */
    Optional<LogPosition> head();

    /**
     * The newest position written and committed, whether readers can see it yet or not; readers can
     * be held back by an older transaction still running (ADR 0002). Subscription lag is measured
     * against it.
     */
    Optional<LogPosition> newest();

    StreamInfo describe(String streamId);

    /** Archives or deletes a stream, see {@link ArchiveStream} and {@link DeleteStream}. */
    AppendResult end(String streamId, ExpectedVersion expected, StreamInfo.StreamState end);

    /**
     * Calls {@code listener} (quickly, on any thread) whenever events may have been committed, by this
     * process or another; a hint to look again, not a promise.
     */
    AutoCloseable onCommit(Runnable listener);

    @Override
    void close();
}
