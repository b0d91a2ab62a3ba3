package dev.keel.eventstore.sourcing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.keel.core.Rejection;
import dev.keel.postgres.LogPosition;

/** What handling a command did: accepted (and stored) or rejected by the decider. */
public sealed interface Outcome<S, E> {

    /** The state after handling, whichever way it went. */
    S state();

    /** The stream's version after handling. */
    long version();

    /**
     * The decider accepted the command and its events are stored.
     *
     * @param events   the events stored (none if the command changed nothing)
     * @param position the log position of the last event stored, for read-your-writes; empty if none
     */
    record Accepted<S, E>(S state, long version, List<E> events, Optional<LogPosition> position) implements Outcome<S, E> {
        public Accepted {
            Objects.requireNonNull(state, "state");
            events = List.copyOf(events);
            Objects.requireNonNull(position, "position");
        }
    }

    /** The decider said no; nothing was stored. */
    record Rejected<S, E>(S state, long version, Rejection rejection) implements Outcome<S, E> {
        public Rejected {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(rejection, "rejection");
        }
    }
}
