package dev.keel.messaging.inbox;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import dev.keel.core.FailureClassifier;
import dev.keel.messaging.spi.MessageTransport;
import dev.keel.messaging.spi.TransportSubscription;
import dev.keel.messaging.spi.WireRecord;
import dev.keel.postgres.Migrations;
import dev.keel.postgres.SqlNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * An idempotent consumer: handles each message once, with its effects, in per-key order, whatever the
 * transport delivers twice, late or out of order.
 *
 * <pre>{@code
 * Inbox inbox = Inbox.builder(dataSource, "billing").schema("billing").build();
 * try (InboxSubscription running = inbox.start(transport, Set.of("shop.orders"), (message, connection) -> {
 *     OrderPlaced placed = message.payload(codec, OrderPlaced.class);
 *     insertInvoice(connection, placed);          // in the same transaction as the inbox's own rows
 * })) { ... }
 * }</pre>
 *
 * <ul>
 *   <li><b>Once</b>: the message id is recorded in the handler's transaction; a redelivered message
 *       (same id, or a key sequence at or below the last handled) is dropped.</li>
 *   <li><b>In order</b>: per (topic, key), by the key sequence the outbox and the event store stamp on
 *       every message. A message that arrives before its predecessor is handled as the
 *       {@link GapPolicy} says (by default held back for up to a minute).</li>
 *   <li><b>Failures</b>: transient ones are retried with exponential backoff and jitter
 *       ({@link RetryPolicy}); a message that keeps failing or cannot be decoded is parked, and later
 *       messages of its key wait behind it while other keys flow. {@link #deadLetters()} lists, retries
 *       and skips parked messages.</li>
 * </ul>
 * The transport's offset is committed only after the inbox's transaction, so a crash at any point
 * redelivers, and redelivery changes nothing.
 */
public final class Inbox {

    private final DataSource dataSource;
    private final String consumer;
    private final InboxTables tables;
    private final GapPolicy gapPolicy;
    private final boolean newKeysStartAnywhere;
    private final RetryPolicy retry;
    private final FailureClassifier classifier;
    private final Clock clock;
    private final Duration pollInterval;
    private final Duration handledRetention;
    private final InboxMetrics metrics;
    private final CopyOnWriteArrayList<InboxSubscription> running = new CopyOnWriteArrayList<>();

    private Inbox(Builder builder) {
        this.dataSource = builder.dataSource;
        this.consumer = builder.consumer;
        this.tables = new InboxTables(builder.schema);
        this.gapPolicy = builder.gapPolicy;
        this.newKeysStartAnywhere = builder.newKeysStartAnywhere;
        this.retry = builder.retry;
        this.classifier = builder.classifier;
        this.clock = builder.clock;
        this.pollInterval = builder.pollInterval;
        this.handledRetention = builder.handledRetention;
        this.metrics = new InboxMetrics(builder.registry, consumer);
    }

    /** An inbox for one consumer (a handler's stable name; also the default consumer group). */
    public static Builder builder(DataSource dataSource, String consumer) {
        return new Builder(dataSource, consumer);
    }

    /** Creates or updates the inbox tables in a schema (done by {@link Builder#build()} unless turned off). */
    public static void migrate(DataSource dataSource, String schema) {
        Migrations.migrate(dataSource, "messaging", schema, "db/keel/messaging");
    }

    public String consumer() {
        return consumer;
    }

    /** Starts handling the topics' messages, in the consumer group named like the consumer. */
    public InboxSubscription start(MessageTransport transport, Set<String> topics, MessageHandler handler) {
        return start(transport, consumer, topics, handler);
    }

    /**
     * Starts handling the topics' messages in a given consumer group. A new group reads the topics
     * from their beginning; the inbox drops what this consumer handled already.
     */
    public InboxSubscription start(MessageTransport transport, String group, Set<String> topics, MessageHandler handler) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(handler, "handler");
        if (topics == null || topics.isEmpty()) {
            throw new IllegalArgumentException("an inbox subscribes to at least one topic");
        }
        topics.forEach(WireRecord::requireTopic);
        InboxEngine engine = new InboxEngine(dataSource, tables, consumer, handler, gapPolicy, newKeysStartAnywhere, retry,
                classifier, clock, metrics);
        InboxSubscription subscription = new InboxSubscription(this, engine, pollInterval, handledRetention);
        running.add(subscription);
        try {
            TransportSubscription transportSubscription = transport.subscribe(group, Set.copyOf(topics), engine::onRecord);
            subscription.started(transportSubscription);
        } catch (RuntimeException e) {
            subscription.close();
            throw e;
        }
        return subscription;
    }

    /** The operator's view: parked messages, and retry or skip them. */
    public DeadLetters deadLetters() {
        return new DeadLetters(dataSource, tables, consumer, clock, this::wakeWorkers);
    }

    void forget(InboxSubscription subscription) {
        running.remove(subscription);
    }

    InboxMetrics metrics() {
        return metrics;
    }

    DataSource dataSource() {
        return dataSource;
    }

    InboxTables tables() {
        return tables;
    }

    Clock clock() {
        return clock;
    }

    private void wakeWorkers() {
        running.forEach(InboxSubscription::wake);
    }

    public static final class Builder {
        private final DataSource dataSource;
        private final String consumer;
        private String schema = "keel";
        private GapPolicy gapPolicy = GapPolicy.holdBack(Duration.ofMinutes(1));
        private boolean newKeysStartAnywhere;
        private RetryPolicy retry = RetryPolicy.defaults();
        private FailureClassifier classifier = FailureClassifier.defaults();
        private Clock clock = Clock.systemUTC();
        private Duration pollInterval = Duration.ofMillis(500);
        private Duration handledRetention = Duration.ofDays(7);
        private MeterRegistry registry = new SimpleMeterRegistry();
        private boolean migrate = true;

        private Builder(DataSource dataSource, String consumer) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            if (consumer == null || consumer.isBlank() || consumer.length() > 200) {
                throw new IllegalArgumentException("a consumer name is 1-200 characters, got '" + consumer + "'");
            }
            this.consumer = consumer;
        }

        /** The schema of the inbox tables; default {@code keel}. */
        public Builder schema(String schema) {
            this.schema = SqlNames.identifier(schema, "schema");
            return this;
        }

        /** What to do with a message that arrives before an earlier one of its key; default: hold back up to 1 minute. */
        public Builder onGap(GapPolicy policy) {
            this.gapPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Accept any key sequence as a key's first (for a consumer that starts reading a topic in the
         * middle). By default a key's first message must be #1.
         */
        public Builder newKeysStartAnywhere() {
            this.newKeysStartAnywhere = true;
            return this;
        }

        public Builder retry(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Which handler failures are worth retrying; default {@link FailureClassifier#defaults()}. A
         * handler that talks to Kafka itself wants {@code KafkaFailures.withDefaults()}.
         */
        public Builder failureClassifier(FailureClassifier classifier) {
            this.classifier = Objects.requireNonNull(classifier, "classifier");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How often the background worker looks for due retries and expired hold-backs; default 500 ms. */
        public Builder pollInterval(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("poll interval must be positive, got " + interval);
            }
            this.pollInterval = interval;
            return this;
        }

        /**
         * How long handled message ids are kept for recognising redeliveries of messages without a key
         * sequence (sequenced ones are recognised by their sequence for ever); default 7 days.
         */
        public Builder handledRetention(Duration retention) {
            if (retention == null || retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("retention must be positive, got " + retention);
            }
            this.handledRetention = retention;
            return this;
        }

        /** Where the {@code keel.messaging.inbox.*} meters go. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Leave the schema alone (it is migrated elsewhere). */
        public Builder withoutMigration() {
            this.migrate = false;
            return this;
        }

        public Inbox build() {
            if (migrate) {
                migrate(dataSource, schema);
            }
            return new Inbox(this);
        }
    }
}
