package dev.keel.messaging.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.keel.messaging.spi.MessageTransport;
import dev.keel.messaging.spi.RecordHandler;
import dev.keel.messaging.spi.TransportPublisher;
import dev.keel.messaging.spi.TransportSubscription;
import dev.keel.messaging.spi.WireRecord;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The transport on Apache Kafka.
 *
 * <ul>
 *   <li><b>Publishing</b>: one transactional, idempotent producer per publisher ({@code acks=all},
 *       {@code transactional.id} = prefix + fencing id). A batch is one Kafka transaction; opening a
 *       publisher under a fencing id makes Kafka fence the producer that had it before and abort its
 *       unfinished transaction, so a relay that lost its partition can no longer publish into it.</li>
 *   <li><b>Consuming</b>: one consumer per subscription in the group, {@code read_committed} (aborted
 *       batches are never seen), no auto-commit: offsets are committed after the handler returned. A
 *       handler that throws gets its record again after a backoff; the partition pauses meanwhile.</li>
 *   <li><b>Topics</b> are created on first use, with the configured partitions, and used only once
 *       every partition accepts writes (ADR 0003).</li>
 * </ul>
 *
 * <pre>{@code
 * try (KafkaTransport kafka = KafkaTransport.builder("localhost:9092").topicPartitions(8).build()) { ... }
 * }</pre>
 */
public final class KafkaTransport implements MessageTransport {

    private final Builder settings;
    private final TopicAdmin topics;
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private KafkaTransport(Builder settings) {
        this.settings = settings;
        this.topics = new TopicAdmin(clientProperties(), settings.topicPartitions, settings.replicationFactor, settings.adminTimeout);
    }

    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    @Override
    public TransportPublisher openPublisher(String fencingId) {
        requireOpen();
        if (fencingId == null || fencingId.isBlank() || fencingId.length() > 200) {
            throw new IllegalArgumentException("a fencing id is 1-200 characters, got '" + fencingId + "'");
        }
        KafkaPublisher publisher = new KafkaPublisher(this, fencingId, producerProperties(fencingId));
        open.add(publisher);
        return publisher;
    }

    @Override
    public TransportSubscription subscribe(String group, Set<String> topicNames, RecordHandler handler) {
        requireOpen();
        if (group == null || group.isBlank() || group.length() > 200) {
            throw new IllegalArgumentException("a consumer group is 1-200 characters, got '" + group + "'");
        }
        if (topicNames == null || topicNames.isEmpty()) {
            throw new IllegalArgumentException("subscribe to at least one topic");
        }
        topicNames.forEach(WireRecord::requireTopic);
        Objects.requireNonNull(handler, "handler");
        topics.ensure(topicNames);
        KafkaSubscription subscription = new KafkaSubscription(this, group, Set.copyOf(topicNames), handler, consumerProperties(group));
        open.add(subscription);
        subscription.start();
        return subscription;
    }

    TopicAdmin topics() {
        return topics;
    }

    Builder settings() {
        return settings;
    }

    void forget(AutoCloseable closedOne) {
        open.remove(closedOne);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the Kafka transport is closed");
        }
    }

    private Map<String, Object> clientProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers);
        return properties;
    }

    private Map<String, Object> producerProperties(String fencingId) {
        Map<String, Object> properties = clientProperties();
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, settings.clientId + "-producer-" + fencingId);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) settings.transactionTimeout.toMillis());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.putAll(settings.producerOverrides);
        // not overridable: these make a publish atomic, ordered and fenced
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalIdPrefix + fencingId);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return properties;
    }

    private Map<String, Object> consumerProperties(String group) {
        Map<String, Object> properties = clientProperties();
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId + "-consumer-" + group);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.putAll(settings.consumerOverrides);
        // not overridable: offsets follow handled records, and aborted batches stay invisible
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return properties;
    }

    @Override
    public void close() {
        closed = true;
        for (AutoCloseable closeable : Set.copyOf(open)) {
            try {
                closeable.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(KafkaTransport.class).warn("closing {} failed", closeable, e);
            }
        }
        open.clear();
        topics.close();
    }

    public static final class Builder {
        private final String bootstrapServers;
        private String clientId = "keel";
        private int topicPartitions = 8;
        private Optional<Short> replicationFactor = Optional.empty();
        private String transactionalIdPrefix = "keel-";
        private Duration transactionTimeout = Duration.ofSeconds(30);
        private Duration pollTimeout = Duration.ofMillis(200);
        private Duration retryBackoff = Duration.ofMillis(100);
        private Duration maxRetryBackoff = Duration.ofSeconds(10);
        private Duration adminTimeout = Duration.ofSeconds(30);
        private final Map<String, Object> producerOverrides = new HashMap<>();
        private final Map<String, Object> consumerOverrides = new HashMap<>();

        private Builder(String bootstrapServers) {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("bootstrap servers (host:port[,host:port]) are required");
            }
            this.bootstrapServers = bootstrapServers;
        }

        /** Prefix of the clients' {@code client.id}s; default {@code keel}. */
        public Builder clientId(String clientId) {
            this.clientId = requireText(clientId, "client id");
            return this;
        }

        /** Partitions of the topics this transport creates; default 8. */
        public Builder topicPartitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("a topic needs at least one partition, got " + partitions);
            }
            this.topicPartitions = partitions;
            return this;
        }

        /** Replication factor of the topics this transport creates; default: the broker's. */
        public Builder replicationFactor(short factor) {
            if (factor < 1) {
                throw new IllegalArgumentException("replication factor must be at least 1, got " + factor);
            }
            this.replicationFactor = Optional.of(factor);
            return this;
        }

        /** Prefix of the producers' {@code transactional.id}s (then the fencing id); default {@code keel-}. */
        public Builder transactionalIdPrefix(String prefix) {
            this.transactionalIdPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * How long the broker keeps a publisher's unfinished transaction before aborting it, should
         * the publisher die and nobody reopen its fencing id; default 30 s.
         */
        public Builder transactionTimeout(Duration timeout) {
            this.transactionTimeout = positive(timeout, "transaction timeout");
            return this;
        }

        /** How long a consumer's poll waits for records; default 200 ms. */
        public Builder pollTimeout(Duration timeout) {
            this.pollTimeout = positive(timeout, "poll timeout");
            return this;
        }

        /** Pause before a failed record is delivered again, doubling up to the maximum; default 100 ms to 10 s. */
        public Builder retryBackoff(Duration initial, Duration maximum) {
            this.retryBackoff = positive(initial, "retry backoff");
            this.maxRetryBackoff = positive(maximum, "maximum retry backoff");
            if (maximum.compareTo(initial) < 0) {
                throw new IllegalArgumentException("maximum retry backoff " + maximum + " is below the initial " + initial);
            }
            return this;
        }

        /** How long topic creation may take; default 30 s. */
        public Builder adminTimeout(Duration timeout) {
            this.adminTimeout = positive(timeout, "admin timeout");
            return this;
        }

        /** Any other producer setting (acks, idempotence and the transactional id stay Keel's). */
        public Builder producerProperty(String name, Object value) {
            producerOverrides.put(requireText(name, "property name"), Objects.requireNonNull(value, name));
            return this;
        }

        /** Any other consumer setting, e.g. {@code group.instance.id} (group, auto-commit and isolation stay Keel's). */
        public Builder consumerProperty(String name, Object value) {
            consumerOverrides.put(requireText(name, "property name"), Objects.requireNonNull(value, name));
            return this;
        }

        public KafkaTransport build() {
            return new KafkaTransport(this);
        }

        Duration pollTimeout() {
            return pollTimeout;
        }

        Duration retryBackoff() {
            return retryBackoff;
        }

        Duration maxRetryBackoff() {
            return maxRetryBackoff;
        }

        private static String requireText(String text, String what) {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return text;
        }

        private static Duration positive(Duration duration, String what) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + duration);
            }
            return duration;
        }
    }
}
