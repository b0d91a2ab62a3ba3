package dev.keel.twophase;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.keel.core.NonTransientException;

/**
 * The coordinator or a participant was used in a way that cannot work; retrying the same call will not
 * help. Thrown before anything is changed where that is possible (at start-up, when a participant is
 * first used); when the misuse is only discovered at prepare time, every participant is rolled back
 * first.
 */
public final class TwoPhaseMisuse extends NonTransientException {

    /** What was wrong. */
    public enum Kind {
        PREPARED_TRANSACTIONS_DISABLED,
        ALREADY_IN_TRANSACTION,
        DUPLICATE_PARTICIPANT,
        UNKNOWN_PARTICIPANT,
        TRANSACTION_ENDED,
        TRANSACTION_CONTROL,
        TRANSACTION_ENDED_IN_SQL,
        OTHER_THREAD,
        NOT_POSTGRESQL,
        COORDINATOR_CLOSED
    }

    private final Kind kind;
    private final @Nullable String participant;

    private TwoPhaseMisuse(Kind kind, @Nullable String participant, String message) {
        super(message);
        this.kind = kind;
        this.participant = participant;
    }

    public Kind kind() {
        return kind;
    }

    /** The participant concerned, when one is. */
    public Optional<String> participant() {
        return Optional.ofNullable(participant);
    }

    static TwoPhaseMisuse preparedTransactionsDisabled(String participant, String where) {
        return new TwoPhaseMisuse(Kind.PREPARED_TRANSACTIONS_DISABLED, participant, "participant '" + participant + "' (" + where
                + ") has max_prepared_transactions = 0, so it cannot take part in two-phase commit. Set max_prepared_transactions"
                + " on that server to at least the number of two-phase transactions that may be open at once (max_connections is"
                + " a safe choice), e.g. ALTER SYSTEM SET max_prepared_transactions = 100, and restart the server: the setting"
                + " only takes effect at server start.");
    }

    static TwoPhaseMisuse alreadyInTransaction(String participant, String state) {
        return new TwoPhaseMisuse(Kind.ALREADY_IN_TRANSACTION, participant, "the connection that participant '" + participant
                + "' handed out is already in a transaction (" + state + "); a two-phase transaction needs a connection of its own."
                + " Give the participant a data source that hands out fresh connections (a pool), not one bound to a running"
                + " transaction. That transaction was left as it was.");
    }

    static TwoPhaseMisuse duplicateName(String participant) {
        return new TwoPhaseMisuse(Kind.DUPLICATE_PARTICIPANT, participant, "two participants are named '" + participant
                + "'; a participant's name identifies its prepared transactions and must be unique");
    }

    static TwoPhaseMisuse sameDataSource(String first, String second) {
        return new TwoPhaseMisuse(Kind.DUPLICATE_PARTICIPANT, second, "participants '" + first + "' and '" + second
                + "' use the same data source; register each database once");
    }

    static TwoPhaseMisuse sameDatabase(String first, String second, String database) {
        return new TwoPhaseMisuse(Kind.DUPLICATE_PARTICIPANT, second, "participants '" + first + "' and '" + second
                + "' are the same database (" + database + "); register each database once, or the two branches of one"
                + " transaction would wait on each other's locks");
    }

    static TwoPhaseMisuse unknownParticipant(String participant, String coordinator) {
        return new TwoPhaseMisuse(Kind.UNKNOWN_PARTICIPANT, participant, "participant '" + participant
                + "' is not registered with coordinator '" + coordinator + "' (or was registered with another data source);"
                + " register it with TwoPhaseCoordinator.builder(...).participant(...) so that recovery can reach it");
    }

    static TwoPhaseMisuse transactionEnded(TransactionId transaction) {
        return new TwoPhaseMisuse(Kind.TRANSACTION_ENDED, null, "two-phase transaction " + transaction
                + " has ended its work phase; participants can only be used inside the work given to execute");
    }

    static TwoPhaseMisuse connectionUsedAfterEnd(String participant, TransactionId transaction) {
        return new TwoPhaseMisuse(Kind.TRANSACTION_ENDED, participant, "the connection of participant '" + participant
                + "' belongs to two-phase transaction " + transaction + ", whose work phase has ended; it cannot be used any more");
    }

    static TwoPhaseMisuse transactionControl(String participant, String method) {
        return new TwoPhaseMisuse(Kind.TRANSACTION_CONTROL, participant, "Connection." + method + "() is not allowed on the"
                + " connection of participant '" + participant + "': the coordinator prepares, commits or rolls back every"
                + " participant together. Throw an exception from the work to roll the whole transaction back.");
    }

    static TwoPhaseMisuse transactionEndedInSql(String participant) {
        return new TwoPhaseMisuse(Kind.TRANSACTION_ENDED_IN_SQL, participant, "the work on participant '" + participant
                + "' ended its transaction itself (COMMIT, ROLLBACK or END in SQL), so it could not be prepared; what it did"
                + " before that was committed or rolled back outside two-phase commit. Every other participant was rolled back.");
    }

    static TwoPhaseMisuse otherThread(TransactionId transaction) {
        return new TwoPhaseMisuse(Kind.OTHER_THREAD, null, "two-phase transaction " + transaction
                + " is used from a thread other than the one running its work; a transaction belongs to one thread");
    }

    static TwoPhaseMisuse notPostgresql(String participant, String connectionClass) {
        return new TwoPhaseMisuse(Kind.NOT_POSTGRESQL, participant, "participant '" + participant + "' handed out a "
                + connectionClass + ", which is not a PostgreSQL JDBC (pgjdbc) connection");
    }

    static TwoPhaseMisuse closed(String coordinator) {
        return new TwoPhaseMisuse(Kind.COORDINATOR_CLOSED, null, "coordinator '" + coordinator + "' is closed");
    }
}
