package dev.keel.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * How figures are taken: warm-up iterations that are thrown away, then measured iterations, and the
 * median of those. Throughput runs a body on N threads for a fixed time and counts operations.
 */
public final class Measure {

    /** One unit of work; returns how many operations it did (rows, events, messages). */
    @FunctionalInterface
    public interface Work {
        long run(int thread) throws Exception;
    }

    /** One whole iteration; returns how many operations it did. */
    @FunctionalInterface
    public interface Iteration {
        long run() throws Exception;
    }

    private final int warmups;
    private final int iterations;
    private final Duration iterationTime;

    public Measure(int warmups, int iterations, Duration iterationTime) {
        if (iterations < 1) {
            throw new IllegalArgumentException("at least one measured iteration");
        }
        this.warmups = warmups;
        this.iterations = iterations;
        this.iterationTime = iterationTime;
    }

    /** Iterations run first and thrown away. */
    public int warmups() {
        return warmups;
    }

    public int iterations() {
        return iterations;
    }

    public Duration iterationTime() {
        return iterationTime;
    }

    /**
     * Operations per second of {@code work} run in a loop on {@code threads} threads for the iteration
     * time; the median over the iterations.
     */
    public double throughput(int threads, Work work) throws Exception {
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < warmups + iterations; i++) {
            double rate = timedRun(threads, work);
            if (i >= warmups) {
                rates.add(rate);
            }
        }
        return median(rates);
    }

    /**
     * Operations per second of an iteration that runs to its own end (reading a million rows, say);
     * the median over the iterations.
     */
    public double rateOfWhole(Iteration iteration) throws Exception {
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < warmups + iterations; i++) {
            long start = System.nanoTime();
            long operations = iteration.run();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (i >= warmups) {
                rates.add(operations / seconds);
            }
        }
        return median(rates);
    }

    private double timedRun(int threads, Work work) throws Exception {
        LongAdder operations = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(executor.submit((Callable<Void>) () -> {
                    start.await();
                    while (!stop.get()) {
                        operations.add(work.run(thread));
                    }
                    return null;
                }));
            }
            long begin = System.nanoTime();
            start.countDown();
            long end = begin + iterationTime.toNanos();
            while (System.nanoTime() < end) {
                java.util.concurrent.locks.LockSupport.parkNanos(Math.min(10_000_000L, end - System.nanoTime()));
            }
            long counted = operations.sum();
            double seconds = (System.nanoTime() - begin) / 1e9;
            stop.set(true);
            for (Future<?> future : futures) {
                future.get();
            }
            return counted / seconds;
        } finally {
            executor.shutdownNow();
        }
    }

    public static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
