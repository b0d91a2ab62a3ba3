package dev.keel.outbox.relay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import dev.keel.messaging.spi.MessageTransport;
import dev.keel.postgres.Migrations;
import dev.keel.postgres.NotificationListener;
import dev.keel.postgres.SqlNames;
import dev.keel.postgres.Transactions;
import dev.keel.postgres.WakeSignal;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the committed rows of a {@link RelaySource} (the outbox, or an event store) through a
 * transport: gap-free, in commit order per key, in batches, checkpointing only after the broker
 * acknowledged.
 *
 * <pre>{@code
 * try (OutboxRelay relay = OutboxRelay.builder(dataSource, kafka, OutboxSource.of("orders")).partitions(4).start()) { ... }
 * }</pre>
 *
 * <p><b>Scale-out.</b> The key space is cut into a fixed number of partitions
 * ({@code mod(hashtext(key), n)}); every relay instance of a group holds leases on a fair share of them
 * (a lease table in PostgreSQL, renewed every third of the lease time) and runs one worker per held
 * partition. A key lives in one partition, so it is published by one relay at a time, in order. When
 * an instance dies its leases expire and the others take its partitions over: the new holder opens
 * the partition's publisher under the same fencing id, which fences the old one at the broker (its
 * unfinished batch is aborted), and every checkpoint is written under the lease's epoch, so the old
 * holder cannot move it either. The new holder resumes from the checkpoint: some rows may go out
 * twice (the consumer's inbox drops them), none is skipped or reordered.
 *
 * <p><b>Wake-up.</b> Commits {@code NOTIFY} the source's channel and wake the workers at once; they
 * poll as a fallback.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final DataSource dataSource;
    private final MessageTransport transport;
    private final RelaySource source;
    private final String name;
    private final String member = UUID.randomUUID().toString();
    private final int partitions;
    private final int batchSize;
    private final Duration leaseDuration;
    private final Duration pollInterval;
    private final Retention retention;
    private final Clock clock;
    private final String leaseSchema;
    private final Leases leases;
    private final RelayMetrics metrics;
    private final Map<Integer, PartitionWorker> workers = new ConcurrentHashMap<>();
    private final WakeSignal coordinatorWake = new WakeSignal();
    private final Thread coordinator;
    private final Object backlogLock = new Object();
    private volatile boolean running = true;
    private NotificationListener listener;
    private Pruner pruner;
    private long backlogReadAt;
    private double backlog = Double.NaN;

    private OutboxRelay(Builder builder) {
        this.dataSource = builder.dataSource;
        this.transport = builder.transport;
        this.source = builder.source;
        this.name = builder.name == null ? source.table() : builder.name;
        this.partitions = builder.partitions;
        this.batchSize = builder.batchSize;
        this.leaseDuration = builder.leaseDuration;
        this.pollInterval = builder.pollInterval;
        this.retention = builder.retention;
        this.clock = builder.clock;
        this.leaseSchema = builder.schema == null ? source.table().substring(0, source.table().indexOf('.')) : builder.schema;
        this.leases = new Leases(dataSource, leaseSchema, name, member, partitions, leaseDuration);
        this.metrics = new RelayMetrics(builder.registry, name, this, OutboxRelay::cachedBacklog);
        this.coordinator = Thread.ofPlatform().daemon().name("keel-relay-" + name + "-leases").unstarted(this::coordinate);
    }

    public static Builder builder(DataSource dataSource, MessageTransport transport, RelaySource source) {
        return new Builder(dataSource, transport, source);
    }

    /** Creates or updates the relay's lease tables in a schema. */
    public static void migrate(DataSource dataSource, String schema) {
        Migrations.migrate(dataSource, "outbox_relay", schema, "db/keel/outbox_relay");
    }

    /** The relay group (by default the source table). */
    public String name() {
        return name;
    }

    /** This instance's id in the group. */
    public String member() {
        return member;
    }

    /** The partitions this instance holds now. */
    public Set<Integer> ownedPartitions() {
        return new TreeSet<>(workers.keySet());
    }

    /** Committed rows not yet published, in all partitions of the group. */
    public long backlog() {
        String partitionOfRow = partitions > 1 ? partitionExpression("t.") : "0";
        String sql = "SELECT count(*) FROM " + source.table() + " t JOIN " + leases.partitionsTable() + " r"
                + " ON r.relay = ? AND r.partition = " + partitionOfRow
                + " WHERE (t.tx_id, t.position) > (r.checkpoint_tx::text::xid8, r.checkpoint_position)"
                + " AND t.tx_id < pg_snapshot_xmin(pg_current_snapshot())";
        return Transactions.withConnection(dataSource, "relay " + name + " counting its backlog", (Connection connection) -> {
            try (PreparedStatement count = connection.prepareStatement(sql)) {
                count.setString(1, name);
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        });
    }

    private double cachedBacklog() {
        synchronized (backlogLock) {
            if (Double.isNaN(backlog) || System.nanoTime() - backlogReadAt > 1_000_000_000L) {
                try {
                    backlog = backlog();
                    backlogReadAt = System.nanoTime();
                } catch (RuntimeException e) {
                    log.debug("relay {}: backlog not available: {}", name, e.toString());
                    return Double.NaN;
                }
            }
            return backlog;
        }
    }

    private OutboxRelay begin(boolean migrate) {
        if (migrate) {
            migrate(dataSource, leaseSchema);
        }
        leases.setUp();
        if (partitions > 1) {
            ensurePartitionIndex();
        }
        listener = NotificationListener.start(dataSource, "relay-" + name);
        listener.onNotify(source.channel(), () -> workers.values().forEach(PartitionWorker::wake));
        coordinator.start();
        if (source instanceof PrunableSource prunable && retention instanceof Retention.DeleteAfter delete) {
            pruner = new Pruner(this, prunable, delete.age());
            pruner.start();
        }
        return this;
    }

    /** The index each partition's reader walks: (partition of the key, tx_id, position). */
    private void ensurePartitionIndex() {
        String table = source.table();
        String index = table.substring(table.indexOf('.') + 1) + "_relay_p" + partitions;
        Transactions.inTransaction(dataSource, "creating the partition index of relay " + name, connection -> {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "keel-relay-index:" + table);
                lock.execute();
            }
            try (PreparedStatement create = connection.prepareStatement("CREATE INDEX IF NOT EXISTS " + SqlNames.identifier(index, "index")
                    + " ON " + table + " ((" + partitionExpression() + "), tx_id, position)")) {
                create.execute();
            }
            return null;
        });
    }

    /** SQL of a row's partition. */
    String partitionExpression() {
        return partitionExpression("");
    }

    private String partitionExpression(String alias) {
        return "mod(hashtext(" + alias + source.keyColumn() + ") & 2147483647, " + partitions + ")";
    }

    /** Keeps this instance's fair share of leases and a worker on each. */
    private void coordinate() {
        Duration tick = leaseDuration.dividedBy(3);
        while (running) {
            long started = System.nanoTime();
            try {
                int members = Math.max(1, leases.heartbeat());
                Map<Integer, Long> held = leases.renew();
                long validUntil = started + leaseDuration.toNanos();
                // workers of partitions we no longer hold (another relay took them) must stop
                for (PartitionWorker worker : List.copyOf(workers.values())) {
                    Long epoch = held.get(worker.partition());
                    if (epoch == null || epoch != worker.epoch()) {
                        stopWorker(worker, false);
                    } else {
                        worker.leaseRenewed(validUntil);
                    }
                }
                int fairShare = (partitions + members - 1) / members;
                List<Integer> mine = new ArrayList<>(new TreeSet<>(held.keySet()));
                // give back what is beyond our share, highest partitions first, so newcomers get work
                while (mine.size() > fairShare) {
                    int partition = mine.remove(mine.size() - 1);
                    PartitionWorker worker = workers.get(partition);
                    if (worker != null) {
                        stopWorker(worker, false);
                    }
                    leases.release(partition, held.get(partition));
                    held.remove(partition);
                }
                // restart workers that ended on their own while we still hold the lease
                for (Map.Entry<Integer, Long> entry : held.entrySet()) {
                    if (!workers.containsKey(entry.getKey())) {
                        startWorker(entry.getKey(), entry.getValue(), validUntil);
                    }
                }
                if (held.size() < fairShare) {
                    long claimStarted = System.nanoTime();
                    leases.claim(fairShare - held.size())
                            .forEach((partition, epoch) -> startWorker(partition, epoch, claimStarted + leaseDuration.toNanos()));
                }
                metrics.owned(workers.size());
            } catch (RuntimeException e) {
                log.warn("relay {}: lease upkeep failed: {}", name, e.toString());
            }
            long elapsed = System.nanoTime() - started;
            try {
                coordinatorWake.await(tick.minusNanos(Math.min(elapsed, tick.toNanos())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void startWorker(int partition, long epoch, long validUntil) {
        PartitionWorker worker = new PartitionWorker(this, partition, epoch, validUntil);
        workers.put(partition, worker);
        worker.start();
    }

    private void stopWorker(PartitionWorker worker, boolean release) {
        worker.stop();
        workers.remove(worker.partition(), worker);
        if (release) {
            leases.release(worker.partition(), worker.epoch());
        }
    }

    /** Called by a worker whose thread ends (stopped, fenced or lease lost). */
    void workerEnded(PartitionWorker worker) {
        workers.remove(worker.partition(), worker);
        if (running) {
            coordinatorWake.signal();
        }
    }

    /** Stops the workers after their current batch, gives the leases back and leaves the group. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        coordinatorWake.signal();
        if (pruner != null) {
            pruner.stop();
        }
        try {
            coordinator.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (PartitionWorker worker : List.copyOf(workers.values())) {
            try {
                stopWorker(worker, true);
            } catch (RuntimeException e) {
                log.warn("relay {}: releasing partition {} failed (its lease will expire): {}", name, worker.partition(), e.toString());
            }
        }
        try {
            leases.leave();
        } catch (RuntimeException e) {
            log.warn("relay {}: leaving the group failed (the membership will expire): {}", name, e.toString());
        }
        if (listener != null) {
            listener.close();
        }
    }

    // ---- what the workers use

    DataSource dataSource() {
        return dataSource;
    }

    MessageTransport transport() {
        return transport;
    }

    RelaySource source() {
        return source;
    }

    int partitions() {
        return partitions;
    }

    int batchSize() {
        return batchSize;
    }

    Duration pollInterval() {
        return pollInterval;
    }

    Retention retention() {
        return retention;
    }

    Clock clock() {
        return clock;
    }

    Leases leases() {
        return leases;
    }

    RelayMetrics metrics() {
        return metrics;
    }

    List<PartitionWorker> workers() {
        return List.copyOf(workers.values());
    }

    /** The fencing id of a partition's publisher: the same for every relay of the group. */
    String fencingId(int partition) {
        return "relay." + name + "." + partition;
    }

    public static final class Builder {
        private final DataSource dataSource;
        private final MessageTransport transport;
        private final RelaySource source;
        private String name;
        private String schema;
        private int partitions = 1;
        private int batchSize = 1000;
        private Duration leaseDuration = Duration.ofSeconds(10);
        private Duration pollInterval = Duration.ofSeconds(1);
        private Retention retention = Retention.deleteWhenPublished();
        private Clock clock = Clock.systemUTC();
        private MeterRegistry registry = new SimpleMeterRegistry();
        private boolean migrate = true;

        private Builder(DataSource dataSource, MessageTransport transport, RelaySource source) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.transport = Objects.requireNonNull(transport, "transport");
            this.source = Objects.requireNonNull(source, "source");
        }

        /** The relay group: instances with the same name share the partitions; default the source table's name. */
        public Builder name(String name) {
            if (name == null || name.isBlank() || name.length() > 150) {
                throw new IllegalArgumentException("a relay name is 1-150 characters, got '" + name + "'");
            }
            this.name = name;
            return this;
        }

        /** The schema of the lease tables; default the source table's schema. */
        public Builder schema(String schema) {
            this.schema = SqlNames.identifier(schema, "schema");
            return this;
        }

        /**
         * How many partitions the key space is cut into: the most instances that can share the work.
         * Fixed for a relay group (checkpoints are per partition); default 1.
         */
        public Builder partitions(int partitions) {
            if (partitions < 1 || partitions > 1024) {
                throw new IllegalArgumentException("partitions must be 1..1024, got " + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        /** Rows per published batch (one broker transaction); default 1,000. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 100_000) {
                throw new IllegalArgumentException("batch size must be 1..100000, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** How long a partition lease lasts unless renewed (every third of it); default 10 s. */
        public Builder leaseDuration(Duration duration) {
            if (duration == null || duration.compareTo(Duration.ofMillis(300)) < 0) {
                throw new IllegalArgumentException("a lease lasts at least 300 ms, got " + duration);
            }
            this.leaseDuration = duration;
            return this;
        }

        /** How often idle workers look for rows without a notification; default 1 s. */
        public Builder pollInterval(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("poll interval must be positive, got " + interval);
            }
            this.pollInterval = interval;
            return this;
        }

        /** What happens to published rows of a prunable source; default deleted once published. */
        public Builder retention(Retention retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /** The clock of the lag metric. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where the {@code keel.outbox.*} meters go. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Leave the lease tables alone (they are migrated elsewhere). */
        public Builder withoutMigration() {
            this.migrate = false;
            return this;
        }

        /** Joins the relay group and starts publishing. */
        public OutboxRelay start() {
            return new OutboxRelay(this).begin(migrate);
        }
    }
}
