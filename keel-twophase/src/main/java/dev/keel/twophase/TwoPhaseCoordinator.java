package dev.keel.twophase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import dev.keel.postgres.Migrations;
import dev.keel.postgres.SqlNames;
import dev.keel.postgres.WakeSignal;

/**
 * Runs transactions across several PostgreSQL databases with two-phase commit over prepared
 * transactions, and recovers the ones a crash left in doubt.
 *
 * <pre>{@code
 * try (TwoPhaseCoordinator coordinator = TwoPhaseCoordinator.builder("shop-1", logDataSource)
 *         .participant(warehouseA)
 *         .participant(warehouseB)
 *         .start()) {
 *     Outcome outcome = coordinator.execute(tx -> {
 *         tx.on(warehouseA, connection -> take(connection, "SKU-1", 5));
 *         tx.on(warehouseB, connection -> put(connection, "SKU-1", 5));
 *     });
 * }
 * }</pre>
 *
 * <p>The protocol: the work runs on one connection per participant; then every participant
 * prepares ({@code PREPARE TRANSACTION}) within the vote timeout; if all do, the commit decision is
 * written durably to the decision log, and only then is every participant committed
 * ({@code COMMIT PREPARED}). Anything else rolls every participant back. The coordinator id is part
 * of every global transaction id: it must be stable across restarts, because recovery finishes the
 * in-doubt transactions of its own id, and unique among coordinators running at once.
 *
 * <p>Thread-safe: any number of threads may run transactions at once.
 */
public final class TwoPhaseCoordinator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TwoPhaseCoordinator.class);

    private final Core core;
    private final Recovery recovery;
    private final WakeSignal wake = new WakeSignal();
    private volatile boolean closed;
    private @Nullable Thread recoveryLoop;

    private TwoPhaseCoordinator(Core core) {
        this.core = core;
        this.recovery = new Recovery(core);
    }

    /**
     * Starts building a coordinator.
     *
     * @param coordinatorId stable id of this coordinator (a-z, 0-9, '_' and '-'), e.g. {@code shop-1}
     * @param decisionLog   where the decision log lives; best a database of its own, and never one a
     *                      participant could lose independently of the log
     */
    public static Builder builder(String coordinatorId, DataSource decisionLog) {
        return new Builder(coordinatorId, decisionLog);
    }

    public String id() {
        return core.coordinator();
    }

    public List<Participant> participants() {
        return core.participants().all();
    }

    /**
     * Runs the work as one transaction across the participants it uses, and ends it.
     *
     * @return committed (possibly with participants still to be committed by recovery), rolled back
     *         with the reason, or in doubt if the decision log could not be reached at the decisive moment
     * @throws RuntimeException whatever the work throws, after every participant was rolled back; a
     *                          SQL failure in the work comes out as a {@link dev.keel.postgres.SqlFailure}
     * @throws TwoPhaseMisuse   when the coordinator or a participant is used in a way that cannot work
     */
    public Outcome execute(TransactionWork work) {
        Objects.requireNonNull(work, "work");
        TransactionId id = TransactionId.next(core.coordinator());
        long started = System.nanoTime();
        // in flight before the check, so that close() either refuses it or waits for it
        core.inFlight().add(id.value());
        if (closed) {
            core.inFlight().remove(id.value());
            throw TwoPhaseMisuse.closed(core.coordinator());
        }
        try {
            Outcome outcome = new Run(core, id).run(work);
            core.metrics().transaction(outcome, Duration.ofNanos(System.nanoTime() - started));
            if (outcome instanceof Outcome.InDoubt || outcome instanceof Outcome.Committed committed && !committed.isComplete()) {
                // recovery has work to do now, not only at its next interval
                wake.signal();
            }
            return outcome;
        } catch (RejectedExecutionException e) {
            throw TwoPhaseMisuse.closed(core.coordinator());
        } catch (RuntimeException | Error e) {
            core.metrics().workFailed(Duration.ofNanos(System.nanoTime() - started));
            throw e;
        } finally {
            core.inFlight().remove(id.value());
        }
    }

    /**
     * Runs one recovery pass now: finishes every in-doubt transaction of this coordinator the way the
     * decision log says. Safe to call at any time, also while transactions run and while the
     * recovery loop of {@link Builder#start()} runs.
     *
     * @throws dev.keel.postgres.SqlFailure if the decision log cannot be read (unreachable participants
     *                                      are reported, not thrown)
     */
    public RecoveryReport recover() {
        return recovery.pass();
    }

    private void startRecoveryLoop() {
        Duration interval = core.settings().recoveryInterval();
        recoveryLoop = Thread.ofVirtual().name("keel-twophase-recovery-" + core.coordinator()).start(() -> {
            while (!closed) {
                try {
                    RecoveryReport report = recovery.pass();
                    if (!report.isClean()) {
                        log.debug("two-phase recovery of '{}': {}", core.coordinator(), report);
                    }
                } catch (RuntimeException e) {
                    log.warn("two-phase recovery pass of '{}' failed: {}", core.coordinator(), e.getMessage());
                }
                try {
                    wake.await(interval);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /**
     * Refuses new transactions, lets the running ones finish (for up to twice the network timeout),
     * and stops the recovery loop. In-doubt transactions are left for the next coordinator with this id.
     */
    @Override
    public void close() {
        closed = true;
        wake.signal();
        long deadline = System.nanoTime() + core.settings().networkTimeout().multipliedBy(2).toNanos();
        while (!core.inFlight().isEmpty() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        Thread loop = recoveryLoop;
        if (loop != null) {
            try {
                loop.join(core.settings().networkTimeout().multipliedBy(2).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        core.executor().shutdown();
        core.finishMarks().close();
    }

    @Override
    public String toString() {
        return "two-phase coordinator '" + core.coordinator() + "' of " + core.participants().all().stream().map(Participant::name).toList();
    }

    /** Configures a coordinator; {@link #build()} or {@link #start()} checks everything. */
    public static final class Builder {

        private final String coordinatorId;
        private final DataSource decisionLog;
        private final List<Participant> participants = new ArrayList<>();
        private String schema = "keel";
        private Duration voteTimeout = Duration.ofSeconds(5);
        private Duration statementTimeout = Duration.ofSeconds(30);
        private Duration lockTimeout = Duration.ofSeconds(5);
        private Duration idleInTransactionTimeout = Duration.ofSeconds(60);
        private @Nullable Duration presumeAbortAfter;
        private Duration recoveryInterval = Duration.ofSeconds(5);
        private Duration decisionRetention = Duration.ofHours(1);
        private MeterRegistry meterRegistry = Metrics.globalRegistry;
        private ProtocolHook hook = ProtocolHook.NONE;

        private Builder(String coordinatorId, DataSource decisionLog) {
            this.coordinatorId = Names.check(coordinatorId, "coordinator id");
            this.decisionLog = Objects.requireNonNull(decisionLog, "decisionLog");
        }

        /** Registers a participant. Every database a transaction may use must be registered. */
        public Builder participant(Participant participant) {
            participants.add(Objects.requireNonNull(participant, "participant"));
            return this;
        }

        public Builder participants(Collection<Participant> all) {
            all.forEach(this::participant);
            return this;
        }

        /** The schema of the decision log's table; {@code keel} unless told otherwise. */
        public Builder schema(String name) {
            this.schema = SqlNames.identifier(name, "schema");
            return this;
        }

        /**
         * How long all participants together may take to prepare (vote), 5 s unless told otherwise.
         * A participant that has not voted by then is cancelled and the transaction rolled back.
         */
        public Builder voteTimeout(Duration timeout) {
            this.voteTimeout = positive(timeout, "vote timeout");
            return this;
        }

        /**
         * The longest any one statement may run on a participant ({@code statement_timeout} of each
         * branch), 30 s unless told otherwise. It also bounds how long the coordinator waits on a
         * participant that does not answer at all: the connection is given up 5 s after it.
         */
        public Builder statementTimeout(Duration timeout) {
            this.statementTimeout = positive(timeout, "statement timeout");
            return this;
        }

        /** The longest a statement may wait for a lock on a participant ({@code lock_timeout}), 5 s unless told otherwise. */
        public Builder lockTimeout(Duration timeout) {
            this.lockTimeout = positive(timeout, "lock timeout");
            return this;
        }

        /**
         * How long a participant keeps a branch whose coordinator has gone quiet before the work phase
         * ended ({@code idle_in_transaction_session_timeout}), 60 s unless told otherwise.
         */
        public Builder idleInTransactionTimeout(Duration timeout) {
            this.idleInTransactionTimeout = positive(timeout, "idle-in-transaction timeout");
            return this;
        }

        /**
         * How long a prepared transaction with no decision is left alone before recovery aborts it.
         * Defaults to the vote timeout plus 10 s: a live coordinator never logs a commit that late,
         * so only one that crashed leaves such a transaction. Shorter is still safe (recovery and
         * the coordinator race on logging the decision, and only one wins) but may abort a slow,
         * healthy transaction.
         */
        public Builder presumeAbortAfter(Duration delay) {
            this.presumeAbortAfter = nonNegative(delay, "presumed-abort delay");
            return this;
        }

        /** How often the recovery loop of {@link #start()} runs, 5 s unless told otherwise. */
        public Builder recoveryInterval(Duration interval) {
            this.recoveryInterval = positive(interval, "recovery interval");
            return this;
        }

        /** How long finished decisions stay in the log (for inspection) before recovery deletes them; 1 h. */
        public Builder decisionRetention(Duration retention) {
            this.decisionRetention = nonNegative(retention, "decision retention");
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        Builder protocolHook(ProtocolHook protocolHook) {
            this.hook = Objects.requireNonNull(protocolHook, "protocolHook");
            return this;
        }

        /**
         * Migrates the decision log, checks every participant that can be reached (one that cannot
         * is checked when first used) and returns a coordinator without a recovery loop: call
         * {@link TwoPhaseCoordinator#recover()} yourself.
         *
         * @throws TwoPhaseMisuse if a participant cannot prepare transactions, or two are the same
         */
        public TwoPhaseCoordinator build() {
            ParticipantRegistry registry = new ParticipantRegistry(coordinatorId, participants);
            // participants first: a misconfigured one must stop start-up before anything is changed
            registry.verifyReachable();
            Migrations.migrate(decisionLog, "twophase", schema, "db/keel/twophase");
            Settings settings = new Settings(voteTimeout, statementTimeout, lockTimeout, idleInTransactionTimeout,
                    presumeAbortAfter == null ? voteTimeout.plusSeconds(10) : presumeAbortAfter, recoveryInterval, decisionRetention);
            ExecutorService executor = Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name("keel-twophase-" + coordinatorId + "-", 0).factory());
            Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
            DecisionLog decisions = new DecisionLog(decisionLog, schema, settings.networkTimeout());
            Core core = new Core(coordinatorId, settings, registry, decisions, new FinishMarks(coordinatorId, decisions).start(),
                    hook, executor, new TwoPhaseMetrics(meterRegistry, coordinatorId), inFlight);
            return new TwoPhaseCoordinator(core);
        }

        /**
         * {@link #build()}, then a recovery loop that runs a pass at once (finishing what an earlier
         * crash left) and then every recovery interval, until {@link TwoPhaseCoordinator#close()}.
         */
        public TwoPhaseCoordinator start() {
            TwoPhaseCoordinator coordinator = build();
            coordinator.startRecoveryLoop();
            return coordinator;
        }

        private static Duration positive(Duration duration, String what) {
            Objects.requireNonNull(duration, what);
            if (duration.isNegative() || duration.toMillis() < 1 || duration.toMillis() > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException(what + " must be between 1 ms and " + Integer.MAX_VALUE / 2 + " ms, got " + duration);
            }
            return duration;
        }

        private static Duration nonNegative(Duration duration, String what) {
            Objects.requireNonNull(duration, what);
            if (duration.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative, got " + duration);
            }
            return duration;
        }
    }
}
