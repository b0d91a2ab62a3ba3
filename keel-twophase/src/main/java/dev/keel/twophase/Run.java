package dev.keel.twophase;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keel.postgres.SqlFailure;
import dev.keel.postgres.SqlWork;
import dev.keel.twophase.DecisionLog.Decision;
import dev.keel.twophase.Enlistment.State;

/**
 * One two-phase transaction from start to end: the work phase on the caller's thread, then phase one
 * (every branch prepares, in parallel, within the vote timeout), the decision (logged durably before
 * anything is committed) and phase two (every branch commits, in parallel), or the abort.
 */
final class Run {

    private static final Logger log = LoggerFactory.getLogger(Run.class);
    /** How long to let the threads of branches given up on notice their dropped connections. */
    private static final Duration STRAGGLERS = Duration.ofSeconds(5);

    private final Core core;
    private final TransactionId id;
    private final Thread owner;
    private final Map<String, Enlistment> enlisted = new LinkedHashMap<>();
    /** What the hook threw, once it has: from then on the coordinator behaves as dead. */
    private final AtomicReference<Throwable> crash = new AtomicReference<>();
    private volatile boolean workOpen = true;

    Run(Core core, TransactionId id) {
        this.core = core;
        this.id = id;
        this.owner = Thread.currentThread();
    }

    TransactionId id() {
        return id;
    }

    List<String> names() {
        return List.copyOf(enlisted.keySet());
    }

    /** Runs the work and the protocol; the caller keeps the transaction in flight meanwhile. */
    Outcome run(TransactionWork work) {
        try {
            try {
                work.run(new TwoPhaseTransaction(this));
            } catch (RuntimeException | Error failure) {
                workOpen = false;
                enlisted.values().forEach(Enlistment::rollbackQuietly);
                throw failure;
            }
            workOpen = false;
            return complete();
        } catch (Crash crashed) {
            dropAll();
            Throwable original = crash.get();
            if (original instanceof Error error) {
                throw error;
            }
            throw original instanceof RuntimeException runtime ? runtime : crashed;
        } finally {
            workOpen = false;
            enlisted.values().forEach(Enlistment::release);
        }
    }

    <T> T call(Participant participant, SqlWork<T> work) {
        if (!workOpen) {
            throw TwoPhaseMisuse.transactionEnded(id);
        }
        if (Thread.currentThread() != owner) {
            throw TwoPhaseMisuse.otherThread(id);
        }
        Participant registered = core.participants().require(participant);
        Enlistment enlistment = enlisted.get(registered.name());
        if (enlistment == null) {
            enlistment = enlist(registered);
            enlisted.put(registered.name(), enlistment);
        }
        try {
            return work.run(enlistment.fenced());
        } catch (SQLException e) {
            throw SqlFailure.translate("work on participant '" + registered.name() + "' in two-phase transaction " + id, e);
        }
    }

    private Enlistment enlist(Participant participant) {
        Connection connection;
        try {
            connection = participant.dataSource().getConnection();
        } catch (SQLException e) {
            throw SqlFailure.translate("connecting to participant '" + participant.name() + "' for two-phase transaction " + id, e);
        }
        try {
            BaseConnection postgres;
            try {
                postgres = connection.unwrap(BaseConnection.class);
            } catch (SQLException notPostgres) {
                throw TwoPhaseMisuse.notPostgresql(participant.name(), connection.getClass().getName());
            }
            TransactionState state = postgres.getTransactionState();
            if (state != TransactionState.IDLE) {
                throw TwoPhaseMisuse.alreadyInTransaction(participant.name(), state == TransactionState.OPEN ? "open" : "failed");
            }
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            core.participants().verify(participant, connection);
            Settings settings = core.settings();
            connection.setNetworkTimeout(Runnable::run, settings.networkTimeoutMillis());
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                // one round trip: the isolation level must come first, the timeouts hold for this
                // branch only (SET LOCAL), so the pool gets the connection back unchanged
                statement.execute("SET TRANSACTION ISOLATION LEVEL " + participant.isolation().name().replace('_', ' ')
                        + "; SET LOCAL statement_timeout = " + settings.statementTimeout().toMillis()
                        + "; SET LOCAL lock_timeout = " + settings.lockTimeout().toMillis()
                        + "; SET LOCAL idle_in_transaction_session_timeout = " + settings.idleInTransactionTimeout().toMillis());
            }
        } catch (SQLException e) {
            closeQuietly(connection);
            throw SqlFailure.translate("starting two-phase transaction " + id + " on participant '" + participant.name() + "'", e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
        String name = participant.name();
        Connection fenced = FencedConnection.around(connection, name, id, () -> workOpen);
        return new Enlistment(participant, id.gid(name), connection, fenced);
    }

    private Outcome complete() {
        List<String> names = names();
        if (enlisted.isEmpty()) {
            return new Outcome.Committed(id, names, List.of());
        }
        reach(ProtocolStep.WORK_DONE, null);
        long voteDeadline = System.nanoTime() + core.settings().voteTimeout().toNanos();
        List<Enlistment> timedOut = vote(voteDeadline);

        Optional<Enlistment> endedInSql = find(State.ENDED_IN_SQL);
        if (endedInSql.isPresent()) {
            abort();
            throw TwoPhaseMisuse.transactionEndedInSql(endedInSql.get().name());
        }
        if (!timedOut.isEmpty()) {
            abort();
            return new Outcome.RolledBack(id, names, new RollbackReason.VoteTimedOut(
                    timedOut.stream().map(Enlistment::name).toList(), core.settings().voteTimeout()));
        }
        Optional<Enlistment> refused = find(State.REFUSED).or(() -> find(State.UNCERTAIN));
        if (refused.isPresent()) {
            Enlistment no = refused.get();
            abort();
            return new Outcome.RolledBack(id, names, new RollbackReason.VoteFailed(no.name(), no.sqlState(), no.problem()));
        }
        reach(ProtocolStep.VOTES_IN, null);
        if (System.nanoTime() - voteDeadline > 0) {
            // every branch voted, but too late to be sure recovery has not presumed an abort
            abort();
            return new Outcome.RolledBack(id, names, new RollbackReason.VoteTimedOut(names, core.settings().voteTimeout()));
        }
        return decideAndCommit(names);
    }

    /** Phase one. Returns the branches that did not vote in time. */
    private List<Enlistment> vote(long deadline) {
        Map<Enlistment, Future<?>> votes = new LinkedHashMap<>();
        for (Enlistment enlistment : enlisted.values()) {
            votes.put(enlistment, core.executor().submit(() -> prepare(enlistment)));
        }
        List<Enlistment> timedOut = new ArrayList<>();
        for (Map.Entry<Enlistment, Future<?>> vote : votes.entrySet()) {
            try {
                vote.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                timedOut.add(vote.getKey());
            } catch (ExecutionException e) {
                throw crashOrBug(e);
            }
        }
        if (!timedOut.isEmpty()) {
            for (Enlistment late : timedOut) {
                // cancel first, so a prepare waiting on a lock stops holding it; then drop the
                // connection, in case the server is not answering at all
                late.cancelQuietly();
                late.drop();
            }
            awaitStragglers(timedOut.stream().map(votes::get).toList());
            // whatever a late branch's thread concluded, the coordinator cannot know whether it prepared
            timedOut.forEach(late -> late.uncertain("", "no vote within " + core.settings().voteTimeout().toMillis() + " ms"));
        }
        return timedOut;
    }

    private void prepare(Enlistment enlistment) {
        reach(ProtocolStep.PREPARING, enlistment);
        try {
            TransactionState state = enlistment.transactionState();
            if (state == TransactionState.IDLE) {
                enlistment.state(State.ENDED_IN_SQL);
                return;
            }
            if (state == TransactionState.FAILED) {
                enlistment.refused("25P02", "a statement of its work failed, so its transaction is aborted");
                return;
            }
            enlistment.prepare();
        } catch (SQLException e) {
            checkNotCrashed();
            if (Enlistment.isServerError(e)) {
                enlistment.refused(e.getSQLState(), Enlistment.firstLine(e.getMessage()));
            } else {
                enlistment.uncertain(e.getSQLState(), Enlistment.firstLine(e.getMessage()));
            }
            return;
        } catch (Crash crashed) {
            throw crashed;
        } catch (RuntimeException e) {
            enlistment.uncertain("", String.valueOf(e));
            return;
        }
        reach(ProtocolStep.PREPARED, enlistment);
    }

    private Outcome decideAndCommit(List<String> names) {
        Decision decision;
        RollbackReason ifAborted = new RollbackReason.AbortedByRecovery();
        try {
            decision = core.log().decide(id, Decision.COMMIT, names);
        } catch (SQLException failure) {
            String problem = Enlistment.firstLine(failure.getMessage());
            log.warn("two-phase transaction {}: logging the commit decision failed ({}); finding out whether it was logged", id, problem);
            Optional<Decision> standing = settleAfterLogFailure();
            if (standing.isEmpty()) {
                log.warn("two-phase transaction {} is in doubt: the decision log cannot be reached; recovery will finish it", id);
                return new Outcome.InDoubt(id, names, "the decision log could not be reached to log the commit decision: " + problem);
            }
            decision = standing.get();
            ifAborted = new RollbackReason.DecisionNotRecorded(problem);
        }
        if (decision == Decision.ABORT) {
            abort();
            return new Outcome.RolledBack(id, names, ifAborted);
        }
        reach(ProtocolStep.DECIDED, null);
        List<String> pending = commitAll();
        if (pending.isEmpty()) {
            reach(ProtocolStep.ALL_COMMITTED, null);
            core.finishMarks().add(id.value());
        } else {
            log.warn("two-phase transaction {} is committed, but {} could not be reached to commit it; recovery will", id, pending);
        }
        return new Outcome.Committed(id, names, pending);
    }

    /**
     * After a failed attempt to log the commit decision, the decision may or may not have been
     * written (the acknowledgement may be what was lost). Logging an abort settles it: the insert
     * loses to a commit that was written. Empty if the log stays unreachable.
     */
    private Optional<Decision> settleAfterLogFailure() {
        long pause = 100;
        for (int attempt = 1; attempt <= 3; attempt++) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause));
            pause *= 3;
            try {
                return Optional.of(core.log().decide(id, Decision.ABORT, names()));
            } catch (SQLException e) {
                log.debug("two-phase transaction {}: settling the decision, attempt {} failed", id, attempt, e);
            }
        }
        return Optional.empty();
    }

    /** Phase two; returns the participants that could not be reached. */
    private List<String> commitAll() {
        List<Future<?>> commits = new ArrayList<>();
        for (Enlistment enlistment : enlisted.values()) {
            commits.add(core.executor().submit(() -> commit(enlistment)));
        }
        for (Future<?> commit : commits) {
            try {
                commit.get();
            } catch (InterruptedException e) {
                // the decision stands; whatever is not committed yet is left to recovery
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                throw crashOrBug(e);
            }
        }
        return enlisted.values().stream().filter(e -> e.state() != State.COMMITTED).map(Enlistment::name).toList();
    }

    private void commit(Enlistment enlistment) {
        reach(ProtocolStep.COMMITTING, enlistment);
        try {
            enlistment.commitPrepared();
        } catch (SQLException first) {
            checkNotCrashed();
            if (!Enlistment.isUnknownGid(first)) {
                try (Connection fresh = freshConnection(enlistment.participant())) {
                    Enlistment.finishPrepared(fresh, enlistment.gid(), true);
                } catch (SQLException second) {
                    if (!Enlistment.isUnknownGid(second)) {
                        log.warn("two-phase transaction {}: committing on participant '{}' failed: {}", id, enlistment.name(),
                                Enlistment.firstLine(second.getMessage()));
                        enlistment.state(State.PENDING);
                        return;
                    }
                }
            }
            // every branch prepared before the decision, so a branch no longer prepared was committed:
            // by the attempt whose answer was lost, or by recovery
        }
        enlistment.state(State.COMMITTED);
        reach(ProtocolStep.COMMITTED, enlistment);
    }

    /**
     * Rolls back every branch. When a branch may have prepared without the coordinator knowing, or a
     * prepared branch cannot be reached, an abort decision is logged so that recovery rolls it back
     * as soon as it finds it, rather than after the presumed-abort delay.
     */
    private void abort() {
        List<Future<Boolean>> rollbacks = new ArrayList<>();
        for (Enlistment enlistment : enlisted.values()) {
            rollbacks.add(core.executor().submit(() -> rollback(enlistment)));
        }
        boolean logAbort = false;
        for (Future<Boolean> rollback : rollbacks) {
            try {
                logAbort |= rollback.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                logAbort = true;
                break;
            } catch (ExecutionException e) {
                throw crashOrBug(e);
            }
        }
        if (logAbort) {
            try {
                Decision standing = core.log().decide(id, Decision.ABORT, names());
                if (standing != Decision.ABORT) {
                    // cannot happen: the abort path is only taken when no commit was logged
                    log.error("two-phase transaction {}: wanted to log an abort, found {}", id, standing);
                }
            } catch (SQLException e) {
                log.warn("two-phase transaction {}: logging the abort failed ({}); recovery presumes it after {}", id,
                        Enlistment.firstLine(e.getMessage()), core.settings().presumeAbortAfter());
            }
        }
    }

    /** Rolls back one branch; returns whether an abort decision should be logged for it. */
    private boolean rollback(Enlistment enlistment) {
        switch (enlistment.state()) {
            case ACTIVE, REFUSED, ENDED_IN_SQL -> {
                enlistment.rollbackQuietly();
                enlistment.state(State.ROLLED_BACK);
                return false;
            }
            case PREPARED -> {
                try {
                    enlistment.rollbackPrepared();
                    enlistment.state(State.ROLLED_BACK);
                    return false;
                } catch (SQLException first) {
                    checkNotCrashed();
                    return !rollbackPreparedOnFreshConnection(enlistment);
                }
            }
            case UNCERTAIN -> {
                rollbackPreparedOnFreshConnection(enlistment);
                // the server may still be working on the prepare, and finish it after this
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private boolean rollbackPreparedOnFreshConnection(Enlistment enlistment) {
        try (Connection fresh = freshConnection(enlistment.participant())) {
            Enlistment.finishPrepared(fresh, enlistment.gid(), false);
        } catch (SQLException e) {
            if (!Enlistment.isUnknownGid(e)) {
                log.warn("two-phase transaction {}: rolling back on participant '{}' failed ({}); recovery will", id,
                        enlistment.name(), Enlistment.firstLine(e.getMessage()));
                return false;
            }
        }
        enlistment.state(State.ROLLED_BACK);
        return true;
    }

    private Connection freshConnection(Participant participant) throws SQLException {
        Connection connection = participant.dataSource().getConnection();
        try {
            connection.setNetworkTimeout(Runnable::run, core.settings().networkTimeoutMillis());
            return connection;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private Optional<Enlistment> find(State state) {
        return enlisted.values().stream().filter(e -> e.state() == state).findFirst();
    }

    private void awaitStragglers(List<Future<?>> futures) {
        long deadline = System.nanoTime() + STRAGGLERS.toNanos();
        for (Future<?> future : futures) {
            try {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Crash crashed) {
                    throw crashed;
                }
            } catch (TimeoutException e) {
                future.cancel(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- crash injection ----

    private void reach(ProtocolStep step, @Nullable Enlistment enlistment) {
        checkNotCrashed();
        if (core.hook() == ProtocolHook.NONE) {
            return;
        }
        try {
            core.hook().reached(new ProtocolPoint(step, id, Optional.ofNullable(enlistment).map(Enlistment::name)));
        } catch (RuntimeException | Error failure) {
            crash.compareAndSet(null, failure);
            dropAll();
            throw new Crash();
        }
    }

    private void checkNotCrashed() {
        if (crash.get() != null) {
            throw new Crash();
        }
    }

    private void dropAll() {
        enlisted.values().forEach(Enlistment::drop);
    }

    private RuntimeException crashOrBug(ExecutionException e) {
        if (e.getCause() instanceof Crash crashed) {
            return crashed;
        }
        if (e.getCause() instanceof RuntimeException runtime) {
            return runtime;
        }
        return new IllegalStateException("two-phase transaction " + id + " failed unexpectedly", e.getCause());
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException ignored) {
            // broken: the pool discards it
        }
    }

    /** Unwinds every thread of a run whose coordinator "died"; {@link #crash} holds what the hook threw. */
    private static final class Crash extends RuntimeException {
        Crash() {
            super("the coordinator crashed", null, false, false);
        }
    }
}
