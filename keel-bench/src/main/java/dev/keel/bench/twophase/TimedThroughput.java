package dev.keel.bench.twophase;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import dev.keel.bench.BenchContext;
import dev.keel.bench.Measure;

/**
 * Throughput and latency of one operation from the same runs: the run's standard {@link Measure}
 * (median throughput over its iterations) with every operation's latency recorded. A warm-up
 * iteration of its own comes first in a full run, so that the latencies of a cold JIT are not among
 * those reported.
 */
public final class TimedThroughput {

    /** One operation; {@code thread} is the index of the thread running it. */
    @FunctionalInterface
    public interface Operation {
        void run(int thread) throws Exception;
    }

    /** Operations per second, and the median and 99th percentile of their latency in milliseconds. */
    public record Timing(double perSecond, double p50Millis, double p99Millis) {
    }

    private TimedThroughput() {
    }

    public static Timing measure(BenchContext context, int threads, Operation operation) throws Exception {
        Recorder latencies = new Recorder(3);
        Measure.Work work = thread -> {
            long start = System.nanoTime();
            operation.run(thread);
            latencies.recordValue((System.nanoTime() - start) / 1_000);
            return 1;
        };
        if (!context.scale().quick()) {
            new Measure(0, 1, context.measure().iterationTime()).throughput(threads, work);
        }
        latencies.getIntervalHistogram();
        double perSecond = context.measure().throughput(threads, work);
        Histogram histogram = latencies.getIntervalHistogram();
        return new Timing(perSecond, histogram.getValueAtPercentile(50) / 1_000.0, histogram.getValueAtPercentile(99) / 1_000.0);
    }
}
