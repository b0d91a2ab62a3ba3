package dev.keel.outbox.relay;

/**
 * A source whose published rows may be deleted, as a {@link Retention} says: the outbox, whose rows
 * are only on their way out (an event store's rows are the record and are never pruned).
 */
public interface PrunableSource extends RelaySource {

    /** The column with the time a row was written, compared with the retention. */
    String writtenAtColumn();
}
