package dev.keel.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * {@code keel-bench/run [--quick] [--list] [suite ...]}: runs the named suites (all when none is
 * named), prints a table per suite and writes {@code <suite>.json} into the results directory.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Suite> available = availableSuites();
        boolean quick = false;
        List<String> names = new ArrayList<>();
        for (String arg : args) {
            switch (arg) {
                case "--quick" -> quick = true;
                case "--list" -> {
                    available.values().forEach(s -> System.out.printf("  %-14s %s%n", s.name(), s.description()));
                    return;
                }
                case "-h", "--help" -> {
                    System.out.println("usage: keel-bench/run [--quick] [--list] [suite ...]   suites: " + available.keySet());
                    return;
                }
                default -> {
                    if (!available.containsKey(arg)) {
                        System.err.println("unknown suite '" + arg + "'; available: " + available.keySet());
                        System.exit(2);
                    }
                    names.add(arg);
                }
            }
        }
        if (names.isEmpty()) {
            names.addAll(available.keySet());
        }
        int failures = run(names.stream().map(available::get).toList(), quick ? BenchContext.Scale.quickRun() : BenchContext.Scale.full(),
                BenchContext.resultsDirectory());
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Runs suites and writes their results; returns how many failed. */
    public static int run(List<Suite> suites, BenchContext.Scale scale, Path resultsDirectory) throws Exception {
        printEnvironment(scale);
        int failures = 0;
        try (BenchContext context = new BenchContext(scale)) {
            for (Suite suite : suites) {
                System.out.println("\n-- running suite " + suite.name() + ": " + suite.description());
                long start = System.nanoTime();
                try {
                    suite.run(context);
                } catch (Exception | AssertionError e) {
                    failures++;
                    System.err.println("suite " + suite.name() + " failed: " + e);
                    e.printStackTrace();
                }
                List<Result> results = context.takeResults();
                System.out.print(Report.table(suite.name(), results));
                Path file = Report.writeJson(resultsDirectory, suite.name(), results);
                System.out.printf("  (%d s, written to %s)%n", (System.nanoTime() - start) / 1_000_000_000, file);
            }
        }
        return failures;
    }

    static Map<String, Suite> availableSuites() {
        Map<String, Suite> suites = new LinkedHashMap<>();
        for (Suite suite : ServiceLoader.load(Suite.class)) {
            suites.put(suite.name(), suite);
        }
        return suites;
    }

    private static void printEnvironment(BenchContext.Scale scale) {
        Runtime runtime = Runtime.getRuntime();
        System.out.printf("keel-bench: Java %s (%s), %d cores, max heap %d MiB, %s run%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"), runtime.availableProcessors(),
                runtime.maxMemory() / (1024 * 1024), scale.quick() ? "QUICK (figures not meaningful)" : "full");
        System.out.println("PostgreSQL figures: 'durable' = fsync=on, synchronous_commit=on; 'nofsync' = fsync=off, synchronous_commit=off");
    }
}
