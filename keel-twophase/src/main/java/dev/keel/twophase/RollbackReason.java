package dev.keel.twophase;

import java.time.Duration;
import java.util.List;

/** Why a two-phase transaction was rolled back. */
public sealed interface RollbackReason {

    /** One line for logs and messages. */
    String description();

    /**
     * A participant refused to prepare: its work left the transaction failed, a deferred constraint
     * or a serialization check failed at prepare time, or the connection broke.
     */
    record VoteFailed(String participant, String sqlState, String message) implements RollbackReason {
        @Override
        public String description() {
            return "participant '" + participant + "' could not prepare: " + message + (sqlState.isEmpty() ? "" : " [" + sqlState + "]");
        }
    }

    /** These participants did not prepare within the vote timeout. */
    record VoteTimedOut(List<String> participants, Duration voteTimeout) implements RollbackReason {
        public VoteTimedOut {
            participants = List.copyOf(participants);
        }

        @Override
        public String description() {
            return "no vote within " + voteTimeout.toMillis() + " ms from " + String.join(", ", participants);
        }
    }

    /**
     * Recovery found the transaction prepared with no decision for longer than the presumed-abort
     * delay and recorded an abort before the coordinator recorded its commit.
     */
    record AbortedByRecovery() implements RollbackReason {
        @Override
        public String description() {
            return "recovery aborted the transaction while it waited for its decision";
        }
    }

    /** The decision log could not record the commit; the coordinator recorded an abort instead. */
    record DecisionNotRecorded(String message) implements RollbackReason {
        @Override
        public String description() {
            return "the commit decision could not be logged: " + message;
        }
    }
}
