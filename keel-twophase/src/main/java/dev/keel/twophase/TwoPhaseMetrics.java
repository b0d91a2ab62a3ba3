package dev.keel.twophase;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The coordinator's meters, all tagged with the coordinator id:
 * <ul>
 *   <li>{@code keel.twophase.transactions} (timer): transactions by {@code outcome} (committed,
 *       rolled_back, in_doubt) and {@code reason}, with their duration;</li>
 *   <li>{@code keel.twophase.in_doubt} (gauge): transactions the last recovery pass could not finish;</li>
 *   <li>{@code keel.twophase.recovery.actions} (counter): prepared transactions recovery committed or
 *       rolled back, by {@code action};</li>
 *   <li>{@code keel.twophase.recovery.unreachable} (counter): participants a recovery pass could not reach.</li>
 * </ul>
 */
final class TwoPhaseMetrics {

    private final MeterRegistry registry;
    private final String coordinator;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final AtomicInteger inDoubt = new AtomicInteger();
    private final Counter recoveredCommits;
    private final Counter recoveredRollbacks;

    TwoPhaseMetrics(MeterRegistry registry, String coordinator) {
        this.registry = registry;
        this.coordinator = coordinator;
        Gauge.builder("keel.twophase.in_doubt", inDoubt, AtomicInteger::get)
                .description("transactions of this coordinator the last recovery pass could not finish")
                .tag("coordinator", coordinator)
                .register(registry);
        this.recoveredCommits = recoveryActions("commit");
        this.recoveredRollbacks = recoveryActions("rollback");
    }

    private Counter recoveryActions(String action) {
        return Counter.builder("keel.twophase.recovery.actions")
                .description("prepared transactions finished by recovery")
                .tag("coordinator", coordinator)
                .tag("action", action)
                .register(registry);
    }

    void transaction(Outcome outcome, Duration took) {
        String reason = switch (outcome) {
            case Outcome.Committed committed -> committed.isComplete() ? "complete" : "pending";
            case Outcome.RolledBack rolledBack -> switch (rolledBack.reason()) {
                case RollbackReason.VoteFailed ignored -> "vote_failed";
                case RollbackReason.VoteTimedOut ignored -> "vote_timed_out";
                case RollbackReason.AbortedByRecovery ignored -> "aborted_by_recovery";
                case RollbackReason.DecisionNotRecorded ignored -> "decision_not_recorded";
            };
            case Outcome.InDoubt ignored -> "log_unreachable";
        };
        String name = switch (outcome) {
            case Outcome.Committed ignored -> "committed";
            case Outcome.RolledBack ignored -> "rolled_back";
            case Outcome.InDoubt ignored -> "in_doubt";
        };
        timer(name, reason).record(took);
    }

    /** A transaction whose work threw: rolled back, the exception propagated. */
    void workFailed(Duration took) {
        timer("rolled_back", "work_failed").record(took);
    }

    private Timer timer(String outcome, String reason) {
        return timers.computeIfAbsent(outcome + "/" + reason, key -> Timer.builder("keel.twophase.transactions")
                .description("two-phase transactions by outcome")
                .tag("coordinator", coordinator)
                .tag("outcome", outcome)
                .tag("reason", reason)
                .register(registry));
    }

    void recoveredCommit() {
        recoveredCommits.increment();
    }

    void recoveredRollback() {
        recoveredRollbacks.increment();
    }

    void unreachable(String participant) {
        Counter.builder("keel.twophase.recovery.unreachable")
                .description("participants a recovery pass could not reach")
                .tag("coordinator", coordinator)
                .tag("participant", participant)
                .register(registry)
                .increment();
    }

    void inDoubt(int count) {
        inDoubt.set(count);
    }
}
