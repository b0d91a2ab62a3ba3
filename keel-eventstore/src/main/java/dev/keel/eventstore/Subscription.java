package dev.keel.eventstore;

import java.util.Optional;

import dev.keel.postgres.LogPosition;

/** A running subscription; close it to stop. */
public interface Subscription extends AutoCloseable {

    enum State {
        /** Delivering events that were already stored when it looked. */
        CATCHING_UP,
        /** Everything readable was delivered; new events are delivered as they commit. */
        LIVE,
        /** Stopped by a handler failure that retrying cannot fix; see {@link #failure()}. */
        FAILED,
        /** Closed. */
        CLOSED
    }

    String name();

    /** The position of the last event handled (or of the start, before the first one). */
    LogPosition position();

    State state();

    /** What stopped it, if it failed. */
    Optional<Throwable> failure();

    /** Stops delivering; waits for an event being handled to finish. */
    @Override
    void close();
}
