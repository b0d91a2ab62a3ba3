package dev.keel.twophase;

import java.util.List;
import java.util.Objects;

/**
 * How a two-phase transaction ended. Rolling back is an expected result (a participant refused to
 * prepare, did not answer in time, or recovery aborted the transaction), so it is a value, not an
 * exception; an exception thrown by the work itself propagates from
 * {@link TwoPhaseCoordinator#execute} instead, after everything was rolled back.
 */
public sealed interface Outcome permits Outcome.Committed, Outcome.RolledBack, Outcome.InDoubt {

    TransactionId transaction();

    /** The participants the work used, in the order it first used them. */
    List<String> participants();

    default boolean isCommitted() {
        return this instanceof Committed;
    }

    /**
     * The commit decision is logged durably: the transaction is committed everywhere, or will be.
     * {@code pending} names participants that could not be reached in phase two; they hold the
     * transaction prepared (and its locks) until recovery reaches them and commits it there.
     */
    record Committed(TransactionId transaction, List<String> participants, List<String> pending) implements Outcome {
        public Committed {
            Objects.requireNonNull(transaction, "transaction");
            participants = List.copyOf(participants);
            pending = List.copyOf(pending);
        }

        /** Whether every participant has committed (no participant is pending). */
        public boolean isComplete() {
            return pending.isEmpty();
        }
    }

    /** Nothing of the transaction took effect anywhere, or will once recovery has run (see the reason). */
    record RolledBack(TransactionId transaction, List<String> participants, RollbackReason reason) implements Outcome {
        public RolledBack {
            Objects.requireNonNull(transaction, "transaction");
            participants = List.copyOf(participants);
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Every participant prepared, but the coordinator could not learn whether its commit decision
     * reached the decision log (the log was unreachable). Recovery settles the transaction one way
     * or the other once the log is back: committed if the decision was logged, else rolled back.
     */
    record InDoubt(TransactionId transaction, List<String> participants, String reason) implements Outcome {
        public InDoubt {
            Objects.requireNonNull(transaction, "transaction");
            participants = List.copyOf(participants);
            Objects.requireNonNull(reason, "reason");
        }
    }
}
