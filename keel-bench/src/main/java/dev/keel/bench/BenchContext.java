package dev.keel.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keel.bench.limits.Limits;
import dev.keel.embedded.Durability;
import dev.keel.embedded.EmbeddedKafka;
import dev.keel.embedded.EmbeddedPostgres;

/**
 * What a suite runs against: one embedded PostgreSQL cluster per {@link Durability} and one Kafka
 * broker, each started on first use and shared by all suites of the run; the physical {@link Limits}
 * measured at most once per run; and the results of the suite that is running.
 */
public final class BenchContext implements AutoCloseable {

    private final Scale scale;
    private final Map<Durability, EmbeddedPostgres> clusters = new EnumMap<>(Durability.class);
    private final List<HikariDataSource> pools = new ArrayList<>();
    private EmbeddedKafka kafka;
    private final Limits limits;
    private final Map<String, Result> currentResults = new LinkedHashMap<>();
    private int databaseCounter;

    public BenchContext(Scale scale) {
        this.scale = scale;
        this.limits = new Limits(this);
    }

    public Scale scale() {
        return scale;
    }

    /** The standard way of measuring in this run (a quick run measures briefly, once). */
    public Measure measure() {
        return scale.measure();
    }

    public Limits limits() {
        return limits;
    }

    public synchronized EmbeddedPostgres postgres(Durability durability) {
        return clusters.computeIfAbsent(durability, d -> EmbeddedPostgres.builder().durability(d).start());
    }

    public synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            kafka = EmbeddedKafka.builder().defaultPartitions(8).start();
        }
        return kafka;
    }

    /**
     * A fresh database on the cluster of that durability, with a connection pool of up to
     * {@code poolSize} connections ({@code reWriteBatchedInserts} on, as any serious client would).
     */
    public synchronized DataSource freshDatabase(String hint, Durability durability, int poolSize) {
        EmbeddedPostgres postgres = postgres(durability);
        String name = hint.replaceAll("[^a-z0-9_]", "_") + "_" + (++databaseCounter);
        postgres.createDatabase(name);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.jdbcUrl(name) + "?reWriteBatchedInserts=true");
        config.setUsername(EmbeddedPostgres.SUPERUSER);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("bench-" + name);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    /** Records a figure of the running suite (replacing one of the same name). */
    public synchronized void record(Result result) {
        currentResults.put(result.name(), result);
        System.out.println(Report.line(result));
    }

    /** Records a figure and the limit it is compared with, so the suite's file is self-contained. */
    public synchronized Result recordAgainst(String name, double value, String unit, Result limit) {
        currentResults.putIfAbsent(limit.name(), limit);
        Result result = Result.against(name, value, unit, limit);
        record(result);
        return result;
    }

    synchronized List<Result> takeResults() {
        List<Result> results = new ArrayList<>(currentResults.values());
        currentResults.clear();
        return results;
    }

    @Override
    public synchronized void close() {
        pools.forEach(HikariDataSource::close);
        if (kafka != null) {
            kafka.close();
        }
        clusters.values().forEach(EmbeddedPostgres::close);
    }

    /** How long and how big a run is: the full one for figures, a quick one to check that suites work. */
    public record Scale(boolean isQuick, Measure measure, int streamingReadRows, int kafkaConsumeMessages) {

        public boolean quick() {
            return isQuick;
        }

        public static Scale full() {
            return new Scale(false, new Measure(1, 5, Duration.ofSeconds(2)), 1_000_000, 500_000);
        }

        public static Scale quickRun() {
            return new Scale(true, new Measure(0, 1, Duration.ofMillis(300)), 10_000, 5_000);
        }

        /** A count scaled down in a quick run (never below 1). */
        public int count(int full) {
            return isQuick ? Math.max(1, full / 100) : full;
        }
    }

    static Path resultsDirectory() {
        return Path.of(System.getProperty("keel.bench.results", "keel-bench/target/results"));
    }
}
