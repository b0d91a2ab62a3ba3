package dev.keel.bench;

/**
 * A named group of benchmarks. A suite measures what it needs, compares each figure with the limits
 * it takes from {@link BenchContext#limits()} (measured in the same run, once), and records results.
 */
public interface Suite {

    /** The name on the command line and of the JSON file, e.g. {@code limits}. */
    String name();

    /** One line for {@code keel-bench/run --list}. */
    String description();

    void run(BenchContext context) throws Exception;
}
