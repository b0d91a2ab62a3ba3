package dev.keel.eventstore;

/** Following the global log: catch up from a position, then receive new events as they commit. */
public interface SubscribeToAll {

    /**
     * Starts delivering events that pass the options' filter to {@code handler}, in log order: first
     * those already stored after the start position (catching up), then new ones as they commit (live).
     * Catching up and live delivery are one loop over the gap-free reader, so no event is lost or
     * delivered twice at the switch. Commits wake the subscription at once (PostgreSQL
     * {@code LISTEN/NOTIFY}); polling is the fallback. At most the options' buffer size of events is
     * read ahead of the handler (back-pressure).
     *
     * <p>Delivery is at least once: with a {@link CheckpointStore} the position is saved after each
     * batch, and a subscription resumed after a crash may see the events of the last unsaved batch again.
     */
    Subscription subscribe(SubscriptionOptions options, EventHandler handler);
}
