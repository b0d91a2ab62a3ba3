package dev.keel.eventstore.snapshot;

/** When the event-sourced repository takes a snapshot after an append. */
@FunctionalInterface
public interface SnapshotPolicy {

    /** Whether to snapshot a stream that went from {@code previousVersion} to {@code newVersion}. */
    boolean shouldSnapshot(long previousVersion, long newVersion);

    /** Never. */
    static SnapshotPolicy never() {
        return (previous, next) -> false;
    }

    /** Each time the stream's version crosses a multiple of {@code events} (every 100 events, say). */
    static SnapshotPolicy everyEvents(int events) {
        if (events < 1) {
            throw new IllegalArgumentException("snapshot every 1 or more events, got " + events);
        }
        return (previous, next) -> previous / events != next / events;
    }
}
