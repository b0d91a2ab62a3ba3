package dev.keel.eventstore;

/** Deleting a stream (a tombstone). */
public interface DeleteStream {

    /**
     * Deletes the stream if its version meets {@code expected}: its events and snapshots are removed
     * from storage, and a {@link SystemEvents#STREAM_DELETED} tombstone takes the next version, so
     * that the id is never reused and readers of all streams learn of the deletion in order. Afterwards
     * reading or appending to the stream fails with {@link StreamDeletedException}. Readers of all
     * streams that had not reached the deleted events yet will not see them. Deleting a deleted stream
     * changes nothing and returns the first deletion's result.
     *
     * @return the tombstone's version and position
     * @throws WrongExpectedVersionException the stream is not at the expected version
     */
    AppendResult delete(String streamId, ExpectedVersion expected);
}
