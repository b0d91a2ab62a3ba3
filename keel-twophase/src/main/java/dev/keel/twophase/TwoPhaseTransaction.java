package dev.keel.twophase;

import java.util.List;

import dev.keel.postgres.SqlWork;

/**
 * One two-phase transaction, as its work sees it: the work uses participants through it, and each
 * participant's statements run in that participant's branch of the transaction. A participant's
 * branch begins the first time the work uses it, on a connection of its own; the coordinator
 * prepares, commits or rolls back every branch once the work returns.
 *
 * <p>A transaction belongs to the thread running its work and ends with it: using it, or a
 * participant connection it handed out, from another thread or afterwards is an error.
 */
public final class TwoPhaseTransaction {

    private final Run run;

    TwoPhaseTransaction(Run run) {
        this.run = run;
    }

    public TransactionId id() {
        return run.id();
    }

    /**
     * Runs work on a participant's connection, in its branch of this transaction. A
     * {@link java.sql.SQLException} comes out as a {@link dev.keel.postgres.SqlFailure} naming the
     * participant; the work may catch it, but the participant's branch is then aborted and the whole
     * transaction rolls back.
     */
    public void on(Participant participant, ParticipantAction work) {
        run.call(participant, connection -> {
            work.run(connection);
            return null;
        });
    }

    /** Like {@link #on} for work that returns a value, such as a balance it read. */
    public <T> T call(Participant participant, SqlWork<T> work) {
        return run.call(participant, work);
    }

    /** The participants used so far, in the order they were first used. */
    public List<String> participants() {
        return run.names();
    }

    @Override
    public String toString() {
        return "two-phase transaction " + run.id();
    }
}
