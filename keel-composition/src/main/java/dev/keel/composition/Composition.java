package dev.keel.composition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One composed answer: declare its parts, then {@link #run()} it once.
 *
 * <pre>{@code
 * Composition details = composer.composition(context, Duration.ofMillis(800));
 * Part<Order> order = details.part("order", Request.get(orders, "/orders/{}", id).json(Order.class)).required();
 * Part<Customer> customer = details.part("customer", order,
 *         o -> Request.get(customers, "/customers/{}", o.customerId()).json(Customer.class));
 * Part<Payment> payment = details.part("payment", Request.get(payments, "/payments/by-order/{}", id).json(Payment.class));
 * Composed result = details.run();
 * }</pre>
 *
 * <p>Every part runs on its own virtual thread as soon as the parts it depends on have values; parts
 * without dependencies start at once, in parallel. {@code run()} returns when every part is settled or
 * when the deadline passes, whichever is first: then every part still under way is settled from its
 * fallback (or reported {@link Reason#DEADLINE}) and its HTTP call is cancelled. A part that depends
 * on a part without a value is {@link Reason#DEPENDENCY_MISSING} and makes no call.
 *
 * <p>Not thread-safe: one thread declares the parts and runs the composition.
 */
public final class Composition {

    private final Composer composer;
    private final CallContext context;
    private final Duration deadline;
    private final List<Part<?>> parts = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private boolean started;

    Composition(Composer composer, CallContext context, Duration deadline) {
        this.composer = composer;
        this.context = Objects.requireNonNull(context, "context");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("a composition's deadline must be positive, got " + deadline);
        }
    }

    public CallContext context() {
        return context;
    }

    public Duration deadline() {
        return deadline;
    }

    /** A part fetched by one call, started at once. */
    public <T> Part<T> part(String name, Request<T> request) {
        Objects.requireNonNull(request, "request");
        return add(name, List.of(), values -> List.of(request), false);
    }

    /** A part whose call is built from another part's value, started when that part has one. */
    public <A, T> Part<T> part(String name, Part<A> dependency, Function<? super A, Request<T>> request) {
        Objects.requireNonNull(request, "request");
        return add(name, List.of(own(dependency)), values -> List.of(requireRequest(request.apply(cast(values[0])))), false);
    }

    /** A part whose call is built from two other parts' values, started when both have one. */
    public <A, B, T> Part<T> part(String name, Part<A> first, Part<B> second,
                                  BiFunction<? super A, ? super B, Request<T>> request) {
        Objects.requireNonNull(request, "request");
        return add(name, List.of(own(first), own(second)),
                values -> List.of(requireRequest(request.apply(cast(values[0]), cast(values[1])))), false);
    }

    /**
     * A part made of several calls in parallel, its value the list of their values in order (the
     * products of an order's lines, say). The list is only as good as its worst call: one missing call
     * makes the part missing.
     */
    public <T> Part<List<T>> parts(String name, List<Request<T>> requests) {
        List<Request<?>> copy = List.copyOf(Objects.requireNonNull(requests, "requests"));
        return add(name, List.of(), values -> copy, true);
    }

    /** Like {@link #parts(String, List)}, with the calls built from another part's value. */
    public <A, T> Part<List<T>> parts(String name, Part<A> dependency, Function<? super A, List<Request<T>>> requests) {
        Objects.requireNonNull(requests, "requests");
        return add(name, List.of(own(dependency)), values -> {
            List<Request<T>> planned = Objects.requireNonNull(requests.apply(cast(values[0])), "the list of requests");
            planned.forEach(Composition::requireRequest);
            return List.copyOf(planned);
        }, true);
    }

    /**
     * Runs every part, waits until all are settled or the deadline passes, and returns the result.
     *
     * @throws RequiredPartUnavailableException a required part has no value and a later try may help;
     *                                          the calls still under way were cancelled
     * @throws RequiredPartFailedException      a required part has no value for good (404, 4xx, undecodable)
     * @throws CompositionInterruptedException  the calling thread was interrupted
     * @throws IllegalStateException            the composition has no parts or was run before
     */
    public Composed run() {
        requireNotStarted("run it");
        if (parts.isEmpty()) {
            throw new IllegalStateException("a composition needs at least one part");
        }
        started = true;
        long start = System.nanoTime();
        RunScope scope = new RunScope(context, composer.codec(), start + deadline.toNanos(), deadline);
        List<PartRun> runs = parts.stream().map(part -> new PartRun(part, scope)).toList();

        CompletableFuture<Void> settled = new CompletableFuture<>();
        AtomicInteger unsettled = new AtomicInteger(runs.size());
        AtomicReference<PartRun> failedRequired = new AtomicReference<>();
        for (PartRun run : runs) {
            run.result().thenAccept(result -> {
                if (run.part().isRequired() && result instanceof PartResult.Missing<?> && failedRequired.compareAndSet(null, run)) {
                    settled.complete(null);
                }
                if (unsettled.decrementAndGet() == 0) {
                    settled.complete(null);
                }
            });
        }

        ExecutorService threads = composer.newRunExecutor();
        try {
            for (PartRun run : runs) {
                threads.execute(() -> run.execute(runs, threads));
            }
            try {
                settled.get(scope.deadlineNanos() - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException deadlinePassed) {
                // dependents first (they are declared after what they need), so that a part still waiting
                // for its dependency is reported as 'deadline', not as the dependency's settling races it
                runs.reversed().forEach(PartRun::settleAtDeadline);
            } catch (InterruptedException interrupted) {
                Failure cancelled = new Failure(Reason.CANCELLED, "the composition was interrupted",
                        java.util.OptionalInt.empty(), true);
                runs.forEach(run -> run.abandon(cancelled));
                Thread.currentThread().interrupt();
                composer.recordRun("failed", System.nanoTime() - start);
                throw new CompositionInterruptedException(interrupted);
            } catch (ExecutionException impossible) {
                throw new IllegalStateException("the settled signal never completes exceptionally", impossible);
            }
            PartRun failed = failedRequired.get();
            if (failed != null) {
                Failure failure = ((PartResult.Missing<?>) failed.result().join()).failure();
                Failure cancelled = Failure.cancelled(failed.part().name(), failure);
                runs.forEach(run -> run.abandon(cancelled));
                composer.recordRun("failed", System.nanoTime() - start);
                throw failure.isTransient()
                        ? new RequiredPartUnavailableException(failed.part().name(), failure)
                        : new RequiredPartFailedException(failed.part().name(), failure);
            }
            Composed composed = new Composed(this, runs.stream().<PartResult<?>>map(run -> run.result().join()).toList());
            composer.recordRun(composed.isComplete() ? "complete" : "partial", System.nanoTime() - start);
            return composed;
        } finally {
            // interrupts the threads of calls that were settled without them: their exchanges are cancelled
            threads.shutdownNow();
        }
    }

    List<Part<?>> declaredParts() {
        return parts;
    }

    void requireNotStarted(String action) {
        if (started) {
            throw new IllegalStateException("cannot " + action + ": the composition has already run");
        }
    }

    private <T> Part<T> add(String name, List<Part<?>> dependencies, Part.Planner planner, boolean isList) {
        requireNotStarted("add part '" + name + "'");
        Part<T> part = new Part<>(this, name, parts.size(), dependencies, planner, isList);
        if (!names.add(name)) {
            throw new IllegalArgumentException("the composition already has a part named '" + name + "'");
        }
        parts.add(part);
        return part;
    }

    private <A> Part<A> own(Part<A> dependency) {
        Objects.requireNonNull(dependency, "dependency");
        if (dependency.owner() != this) {
            throw new IllegalArgumentException(dependency + " belongs to another composition");
        }
        return dependency;
    }

    private static <R extends Request<?>> R requireRequest(R request) {
        return Objects.requireNonNull(request, "the request built from the dependencies");
    }

    @SuppressWarnings("unchecked")
    private static <A> A cast(Object value) {
        return (A) value;
    }
}
