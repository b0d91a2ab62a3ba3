package dev.keel.composition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One part of one composition run: waits for the parts it depends on, plans its calls, runs them and
 * completes its result — or is settled by the composition at the deadline or when it is abandoned.
 */
final class PartRun {

    private static final Logger LOG = LoggerFactory.getLogger(PartRun.class);

    private final Part<?> part;
    private final RunScope scope;
    private final CompletableFuture<PartResult<?>> result = new CompletableFuture<>();
    /** Set once the calls are planned; read by the composition when it settles this part. */
    private volatile List<CallRun<?>> calls;

    PartRun(Part<?> part, RunScope scope) {
        this.part = part;
        this.scope = scope;
    }

    Part<?> part() {
        return part;
    }

    CompletableFuture<PartResult<?>> result() {
        return result;
    }

    /** Runs the part on the current thread; {@code runs} are all parts of the run, by index. */
    void execute(List<PartRun> runs, Executor executor) {
        try {
            Object[] values = new Object[part.dependencies().size()];
            for (int i = 0; i < values.length; i++) {
                Part<?> dependency = part.dependencies().get(i);
                PartResult<?> settled = runs.get(dependency.index()).result().get();
                if (settled instanceof PartResult.Missing<?> missing) {
                    // A dependency lost to the deadline means this part too was still waiting when it
                    // passed; which thread notices first must not change what the client is told.
                    boolean deadlinePassed = missing.failure().reason() == Reason.DEADLINE
                            || System.nanoTime() - scope.deadlineNanos() >= 0;
                    result.complete(new PartResult.Missing<>(deadlinePassed
                            ? Failure.deadline(scope.deadline())
                            : Failure.dependencyMissing(dependency.name(), missing.failure())));
                    return;
                }
                values[i] = settled.value().orElseThrow();
            }
            List<CallRun<?>> planned;
            try {
                List<Request<?>> requests = part.planner().plan(values);
                planned = new ArrayList<>(requests.size());
                for (Request<?> request : requests) {
                    planned.add(new CallRun<>(request, scope));
                }
            } catch (Exception broken) {
                LOG.warn("part '{}': building its request failed", part.name(), broken);
                result.complete(new PartResult.Missing<>(Failure.requestError(broken)));
                return;
            }
            calls = List.copyOf(planned);
            if (!part.isList()) {
                CallRun<?> call = planned.getFirst();
                call.execute();
                result.complete(call.result().join());
                return;
            }
            for (int i = 1; i < planned.size(); i++) {
                CallRun<?> call = planned.get(i);
                executor.execute(() -> {
                    try {
                        call.execute();
                    } catch (InterruptedException abandoned) {
                        // settled by the composition
                    } catch (RuntimeException bug) {
                        LOG.error("a call of part '{}' failed unexpectedly", part.name(), bug);
                        call.abandon(Failure.requestError(bug));
                    }
                });
            }
            if (!planned.isEmpty()) {
                planned.getFirst().execute();
            }
            CompletableFuture.allOf(planned.stream().map(CallRun::result).toArray(CompletableFuture[]::new)).get();
            result.complete(aggregate(planned));
        } catch (InterruptedException | RejectedExecutionException abandoned) {
            // the composition settled this part (deadline passed or abandoned) and cancelled its thread
        } catch (RuntimeException bug) {
            // never leave a part unsettled: the composition would wait for its deadline
            LOG.error("part '{}' failed unexpectedly", part.name(), bug);
            result.complete(new PartResult.Missing<>(Failure.requestError(bug)));
        } catch (ExecutionException impossible) {
            throw new IllegalStateException("part results never complete exceptionally", impossible);
        }
    }

    /** The deadline passed: completes this part from what its calls have or their fallbacks. */
    void settleAtDeadline() {
        if (result.isDone()) {
            return;
        }
        List<CallRun<?>> planned = calls;
        if (planned == null) {
            result.complete(new PartResult.Missing<>(Failure.deadline(scope.deadline())));
            return;
        }
        planned.forEach(CallRun::settleAtDeadline);
        result.complete(part.isList() ? aggregate(planned) : planned.getFirst().result().join());
    }

    /** The composition failed: completes this part as missing, unless it finished first. */
    void abandon(Failure cancelled) {
        if (result.isDone()) {
            return;
        }
        List<CallRun<?>> planned = calls;
        if (planned != null) {
            planned.forEach(call -> call.abandon(cancelled));
        }
        result.complete(new PartResult.Missing<>(cancelled));
    }

    /**
     * The value of a list part is the list of all its calls' values, in order; it is only as good as
     * its worst call (missing, then default, then stale, then cached), so a list with a hole is missing.
     */
    private static PartResult<?> aggregate(List<CallRun<?>> planned) {
        List<PartResult<?>> results = planned.stream().<PartResult<?>>map(call -> call.result().join()).toList();
        int total = results.size();
        List<Failure> missing = new ArrayList<>();
        Failure firstDefault = null;
        Failure firstStale = null;
        Duration oldest = Duration.ZERO;
        boolean anyCached = false;
        for (PartResult<?> each : results) {
            switch (each) {
                case PartResult.Missing<?> m -> missing.add(m.failure());
                case PartResult.Default<?> d -> firstDefault = firstDefault == null ? d.failure() : firstDefault;
                case PartResult.Stale<?> s -> {
                    firstStale = firstStale == null ? s.failure() : firstStale;
                    oldest = max(oldest, s.age());
                }
                case PartResult.Cached<?> c -> {
                    anyCached = true;
                    oldest = max(oldest, c.age());
                }
                case PartResult.Complete<?> c -> {
                }
            }
        }
        if (!missing.isEmpty()) {
            return new PartResult.Missing<>(summarise(missing, total));
        }
        List<Object> values = results.stream().map(each -> (Object) each.value().orElseThrow()).toList();
        if (firstDefault != null) {
            return new PartResult.Default<>(values, firstDefault);
        }
        if (firstStale != null) {
            return new PartResult.Stale<>(values, oldest, firstStale);
        }
        if (anyCached) {
            return new PartResult.Cached<>(values, oldest);
        }
        return new PartResult.Complete<>(values);
    }

    private static Failure summarise(List<Failure> missing, int total) {
        Failure first = missing.getFirst();
        if (total == 1) {
            return first;
        }
        boolean isTransient = missing.stream().allMatch(Failure::isTransient);
        OptionalInt status = first.httpStatus();
        return new Failure(first.reason(), missing.size() + " of " + total + " calls have no value; the first: "
                + first.detail(), status, isTransient);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
