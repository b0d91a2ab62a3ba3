package dev.keel.twophase;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Where a crash tests stop the coordinator of a move from warehouse A to warehouse B, and what
 * recovery must make of it. The points where one of two branches has done something make the other
 * branch wait until it has, so the state at the crash is always the one named.
 */
enum CrashPoint {
    /** A's branch updated its row, B's has not started; nothing prepared. */
    DURING_WORK(false, 0),
    /** Both branches did their work; nothing prepared. */
    AFTER_WORK_BEFORE_ANY_PREPARE(false, 0),
    /** A prepared, B did not. */
    AFTER_ONE_OF_TWO_PREPARES(false, 1),
    /** Both prepared, no decision logged. */
    AFTER_ALL_PREPARES_BEFORE_THE_DECISION(false, 2),
    /** Commit logged, nothing committed. */
    AFTER_THE_DECISION_BEFORE_ANY_COMMIT(true, 2),
    /** Commit logged, A committed, B still prepared. */
    AFTER_ONE_OF_TWO_COMMITS(true, 1),
    /** Both committed; the decision is not marked finished. */
    AFTER_ALL_COMMITS(true, 0);

    /** Whether the move must be committed after recovery (else it must be rolled back). */
    final boolean commits;
    /** How many branches are prepared right after the crash. */
    final int preparedAtCrash;

    CrashPoint(boolean commits, int preparedAtCrash) {
        this.commits = commits;
        this.preparedAtCrash = preparedAtCrash;
    }

    /** A hook that runs {@code crash} when the coordinator reaches this point (all but {@link #DURING_WORK}). */
    ProtocolHook hook(Runnable crash) {
        CountDownLatch otherBranchDone = new CountDownLatch(1);
        return point -> {
            switch (this) {
                case DURING_WORK -> throw new IllegalStateException("a crash during the work is the work's to stage");
                case AFTER_WORK_BEFORE_ANY_PREPARE -> {
                    if (point.step() == ProtocolStep.WORK_DONE) {
                        crash.run();
                    }
                }
                case AFTER_ONE_OF_TWO_PREPARES -> {
                    if (point.is(ProtocolStep.PREPARED, "warehouse_a")) {
                        otherBranchDone.countDown();
                    } else if (point.is(ProtocolStep.PREPARING, "warehouse_b")) {
                        await(otherBranchDone);
                        crash.run();
                    }
                }
                case AFTER_ALL_PREPARES_BEFORE_THE_DECISION -> {
                    if (point.step() == ProtocolStep.VOTES_IN) {
                        crash.run();
                    }
                }
                case AFTER_THE_DECISION_BEFORE_ANY_COMMIT -> {
                    if (point.step() == ProtocolStep.DECIDED) {
                        crash.run();
                    }
                }
                case AFTER_ONE_OF_TWO_COMMITS -> {
                    if (point.is(ProtocolStep.COMMITTED, "warehouse_a")) {
                        otherBranchDone.countDown();
                    } else if (point.is(ProtocolStep.COMMITTING, "warehouse_b")) {
                        await(otherBranchDone);
                        crash.run();
                    }
                }
                case AFTER_ALL_COMMITS -> {
                    if (point.step() == ProtocolStep.ALL_COMMITTED) {
                        crash.run();
                    }
                }
            }
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other branch never got there");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
