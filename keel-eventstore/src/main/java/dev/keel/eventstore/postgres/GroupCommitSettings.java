package dev.keel.eventstore.postgres;

/**
 * How group commit batches appends.
 *
 * @param maxConcurrentBatches transactions of appends in flight at once (each uses a connection)
 * @param maxAppendsPerBatch   appends per transaction, at most
 * @param maxEventsPerBatch    events per transaction, at most (an append larger than this goes alone)
 */
record GroupCommitSettings(int maxConcurrentBatches, int maxAppendsPerBatch, int maxEventsPerBatch) {

    static final GroupCommitSettings DEFAULTS = new GroupCommitSettings(2, 256, 4_096);
}
