package dev.keel.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real Apache Kafka broker running in this JVM in KRaft combined mode (broker and controller in
 * one node), started with {@code kafka.server.KafkaRaftServer} exactly as the {@code kafka-server-start}
 * script would, after formatting its log directory like {@code kafka-storage format} does.
 *
 * <p>It is sized for a small heap: the log cleaner's dedupe buffer is 2 MiB instead of 128 MiB and
 * internal topics have few partitions, so starting it costs about two seconds and little memory.
 * Replication factors are 1 (there is one broker). With a {@linkplain Builder#dataDirectory data
 * directory} the broker keeps its topics across restarts; without one it uses a temporary
 * directory that {@link #close()} deletes.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaRaftServer server;
    private final Path logDirectory;
    private final boolean deleteOnClose;
    private final String bootstrapServers;
    private final int defaultPartitions;
    private volatile boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, Path logDirectory, boolean deleteOnClose,
                          String bootstrapServers, int defaultPartitions) {
        this.server = server;
        this.logDirectory = logDirectory;
        this.deleteOnClose = deleteOnClose;
        this.bootstrapServers = bootstrapServers;
        this.defaultPartitions = defaultPartitions;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a broker with a temporary log directory on free ports. */
    public static EmbeddedKafka start() {
        return builder().start();
    }

    /** {@code host:port} for the clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path logDirectory() {
        return logDirectory;
    }

    /** Client properties that reach this broker; add serializers and the rest yourself. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return properties;
    }

    /** Creates the topics that do not exist yet, with the default partition count, and waits for them. */
    public void createTopics(String... names) {
        createTopics(defaultPartitions, List.of(names));
    }

    /** Creates the topics that do not exist yet and waits until they accept writes. */
    public void createTopics(int partitions, Collection<String> names) {
        createTopics(bootstrapServers, partitions, names);
    }

    /**
     * Creates the topics that do not exist yet on any Kafka cluster (replication factor: the cluster's
     * default) and waits until every partition accepts writes (see {@link #awaitWritable}).
     */
    public static void createTopics(String bootstrapServers, int partitions, Collection<String> names) {
        if (partitions < 1) {
            throw new IllegalArgumentException("a topic needs at least one partition, got " + partitions);
        }
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, Optional.of(partitions), Optional.empty()));
        }
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
            awaitWritable(admin, names);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + names, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not create topics " + names + " within " + ADMIN_TIMEOUT, e);
        }
    }

    /**
     * Waits until every partition of the topics accepts writes. The metadata a client sees names a
     * leader a moment before that leader's replica manager has the partition; an idempotent producer
     * whose first batch lands in that moment gets a retriable error while its next batch is taken as the
     * producer's first, after which the partition refuses the retried batch for good
     * (OutOfOrderSequenceException). ListOffsets is answered by the partition's replica itself, so once
     * it succeeds for every partition, writes are safe.
     */
    private static void awaitWritable(Admin admin, Collection<String> names) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                var descriptions = admin.describeTopics(names).allTopicNames().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                descriptions.forEach((topic, description) -> description.partitions()
                        .forEach(partition -> partitions.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                last = e.getCause();
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        TimeoutException timeout = new TimeoutException("partitions of " + names + " not writable after " + ADMIN_TIMEOUT);
        if (last != null) {
            timeout.initCause(last);
        }
        throw timeout;
    }

    /** Deletes topics; a topic that does not exist is ignored. */
    public void deleteTopics(Collection<String> names) {
        try (Admin admin = Admin.create(clientProperties())) {
            var existing = admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<String> toDelete = names.stream().filter(existing::contains).toList();
            if (!toDelete.isEmpty()) {
                admin.deleteTopics(toDelete).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deleting topics " + names, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not delete topics " + names, e);
        }
    }

    /** Shuts the broker down in order (broker first, then controller) and waits for it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            FileTrees.deleteQuietly(logDirectory);
        }
        log.info("Kafka broker at {} stopped", bootstrapServers);
    }

    public static final class Builder {
        private @Nullable Path dataDirectory;
        private int port;
        private int defaultPartitions = 1;
        private final Map<String, String> overrides = new HashMap<>();

        private Builder() {
        }

        /**
         * Keeps the broker's log in this directory, so topics and messages survive a restart.
         * Without it the broker uses a temporary directory deleted on close.
         */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = directory;
            return this;
        }

        /** The client port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Partitions of topics made by {@link #createTopics(String...)}; default 1. */
        public Builder defaultPartitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
            }
            this.defaultPartitions = partitions;
            return this;
        }

        /** Any broker setting, e.g. {@code log.retention.ms}. */
        public Builder brokerSetting(String name, String value) {
            overrides.put(name, value);
            return this;
        }

        public EmbeddedKafka start() {
            long started = System.nanoTime();
            boolean temporary = dataDirectory == null;
            Path logDir;
            try {
                logDir = temporary ? Files.createTempDirectory("keel-kafka-") : Files.createDirectories(dataDirectory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create Kafka log directory", e);
            }
            int clientPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            Map<String, String> props = new HashMap<>();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
            props.put("listeners", "PLAINTEXT://localhost:" + clientPort + ",CONTROLLER://localhost:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://localhost:" + clientPort);
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("log.dirs", logDir.toAbsolutePath().toString());
            props.put("num.partitions", Integer.toString(defaultPartitions));
            props.put("default.replication.factor", "1");
            props.put("min.insync.replicas", "1");
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "4");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("transaction.state.log.num.partitions", "4");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            // Topics are created explicitly (createTopics waits until they are writable); a topic
            // auto-created by a producer's first send is exposed to the race awaitWritable avoids.
            props.put("auto.create.topics.enable", "false");
            props.put("delete.topic.enable", "true");
            // A transaction that starts while the markers of the producer's previous one are still being
            // written is retried by the broker after this backoff (20 ms by default, KAFKA-18654): every
            // back-to-back transaction, such as the outbox relay's batches, would wait that long.
            props.put("add.partitions.to.txn.retry.backoff.ms", "1");
            // The cleaner's dedupe buffer defaults to 128 MiB, too much for a test JVM's heap.
            props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
            props.put("log.cleaner.io.buffer.size", Integer.toString(256 * 1024));
            props.put("log.cleaner.threads", "1");
            props.put("num.network.threads", "2");
            props.put("num.io.threads", "2");
            props.put("background.threads", "2");
            props.put("num.recovery.threads.per.data.dir", "1");
            props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
            props.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
            props.put("log.index.size.max.bytes", Integer.toString(1024 * 1024));
            props.put("controlled.shutdown.enable", "true");
            props.put("server.max.startup.time.ms", "60000");
            props.putAll(overrides);

            KafkaConfig config = new KafkaConfig(props, false);
            formatIfNeeded(config, logDir);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            try {
                server.startup();
            } catch (RuntimeException e) {
                try {
                    server.shutdown();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw new IllegalStateException("Kafka broker did not start in " + logDir, e);
            }
            String bootstrap = "localhost:" + clientPort;
            EmbeddedKafka kafka = new EmbeddedKafka(server, logDir, temporary, bootstrap, defaultPartitions);
            kafka.awaitReady();
            log.info("Kafka broker started at {} in {} ms (log directory {})", bootstrap,
                    (System.nanoTime() - started) / 1_000_000, logDir);
            return kafka;
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        Map<String, Object> properties = clientProperties();
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(properties)) {
            RuntimeException last = null;
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = new IllegalStateException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker", e);
                }
            }
            close();
            throw new IllegalStateException("Kafka broker at " + bootstrapServers + " not ready within " + ADMIN_TIMEOUT, last);
        }
    }

    private static void formatIfNeeded(KafkaConfig config, Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(printStream)
                    .setNodeId(config.nodeId())
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setDirectories(List.of(logDir.toAbsolutePath().toString()))
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka log directory " + logDir + ": " + output, e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
