package dev.keel.shop.platform.messaging;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

import javax.sql.DataSource;

import dev.keel.messaging.inbox.Inbox;
import dev.keel.messaging.inbox.InboxSubscription;
import dev.keel.messaging.inbox.MessageHandler;
import dev.keel.messaging.kafka.KafkaTransport;
import dev.keel.messaging.spi.MessageTransport;
import dev.keel.outbox.OutboxWriter;
import dev.keel.outbox.relay.OutboxRelay;
import dev.keel.outbox.relay.OutboxSource;
import dev.keel.outbox.relay.RelaySource;
import dev.keel.postgres.Transactions;
import dev.keel.shop.platform.Health;
import dev.keel.shop.platform.ServiceContext;
import dev.keel.shop.platform.ServiceHttp;
import dev.keel.shop.platform.Settings;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Shop service's messaging, set up from its {@link ServiceContext}: the Kafka transport, the
 * service's outbox in its own database (schema {@value #SCHEMA}), the relay that publishes it, and
 * the inbox subscriptions that consume other services' messages.
 *
 * <pre>{@code
 * ServiceMessaging messaging = ServiceMessaging.builder(context)
 *         .route("Customer", CustomerTopics.EVENTS)                 // aggregate type -> topic
 *         .start();                                                 // outbox migrated, relay publishing
 * Transactions.inTransaction(dataSource, "register", connection -> {
 *     insertCustomer(connection, customer);                        // the change and its event:
 *     messaging.outbox().write(connection, new OutboxMessage("Customer", id, message));  // one transaction
 *     return null;
 * });
 * messaging.consume("replica", Set.of(ProductTopics.EVENTS), (message, connection) -> ...);  // inbox
 * ServiceHttp http = ServiceHttp.builder(name).meterRegistry(messaging.meterRegistry())
 *         .health(messaging.readiness(new Health()))
 *         .routes(app -> { messaging.adminRoutes(app); ... }).start();
 * return StartedService.of(http, messaging);                        // HTTP, then consumers, relays, transport
 * }</pre>
 *
 * <p><b>Several instances.</b> Instances of a service (in one process or several) share its database:
 * their relays share the outbox's partitions through leases (a key is published by one instance at a
 * time, in order; ADR 0005), and their inboxes share each consumer's Kafka group
 * ({@code <service>.<consumer>}), while the inbox tables drop what another instance handled already.
 *
 * <p><b>Settings</b> ({@code --set}): {@code <service>.relay.partitions} (4; fixed for the life of the
 * outbox's relay group), {@code <service>.relay.leaseDuration} (10s), {@code <service>.relay.pollInterval}
 * (1s), {@code kafka.topicPartitions} (4, for topics the transport has to create itself).
 */
public final class ServiceMessaging implements AutoCloseable {

    /** The schema of the outbox, relay and inbox tables in the service's database. */
    public static final String SCHEMA = "keel";

    private static final Logger log = LoggerFactory.getLogger(ServiceMessaging.class);

    private final String service;
    private final ServiceContext context;
    private final DataSource dataSource;
    private final KafkaTransport transport;
    private final String clientId;
    private final PrometheusMeterRegistry registry;
    private final OutboxWriter outbox;
    private final boolean publishes;
    private final List<OutboxRelay> relays = new ArrayList<>();
    private final Map<String, Consumer> consumers = new LinkedHashMap<>();
    private final List<Health> readiness = new ArrayList<>();
    private final ConsumerGroups groups;
    private boolean inboxMigrated;
    private volatile boolean closed;

    /** One inbox subscription: its consumer name, Kafka group and topics. */
    record Consumer(Inbox inbox, InboxSubscription subscription, String group, Set<String> topics) {
    }

    private ServiceMessaging(Builder builder, KafkaTransport transport, String clientId, PrometheusMeterRegistry registry) {
        this.service = builder.context.name();
        this.context = builder.context;
        this.dataSource = builder.context.database().dataSource();
        this.transport = transport;
        this.clientId = clientId;
        this.registry = registry;
        this.publishes = !builder.routes.isEmpty();
        OutboxWriter.Builder writer = OutboxWriter.builder(SCHEMA).source("/shop/" + service).onlyRoutedTypes();
        builder.routes.forEach(writer::route);
        this.outbox = writer.build();
        this.groups = new ConsumerGroups(builder.context.kafkaBootstrap(), clientId);
    }

    public static Builder builder(ServiceContext context) {
        return new Builder(context);
    }

    /**
     * The writer of the service's outbox: call {@link OutboxWriter#write} with the connection of the
     * transaction that makes the change the message announces.
     *
     * @throws IllegalStateException if the service declared no {@linkplain Builder#route routes}
     */
    public OutboxWriter outbox() {
        if (!publishes) {
            throw new IllegalStateException(service + " declared no message routes, so it has no outbox: add route(aggregateType, topic)"
                    + " to its ServiceMessaging");
        }
        return outbox;
    }

    /** The transport, for what the wiring does not cover. */
    public MessageTransport transport() {
        return transport;
    }

    /** The registry the relay and inbox meters are on; give it to the service's {@link ServiceHttp}. */
    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    /** The running relays: the outbox's first, then those added with {@link Builder#relay}. */
    public List<OutboxRelay> relays() {
        return List.copyOf(relays);
    }

    /**
     * Starts consuming topics through an inbox named {@code consumer} (its tables are in schema
     * {@value #SCHEMA}): each message is handled once, with the handler's effects, in per-key order;
     * one that keeps failing is parked and shows up on {@code GET /admin/parked}. The Kafka group is
     * {@code <service>.<consumer>}, shared by every instance of the service.
     */
    public Inbox consume(String consumer, Set<String> topics, MessageHandler handler) {
        return consume(consumer, topics, handler, UnaryOperator.identity());
    }

    /** As {@link #consume(String, Set, MessageHandler)}, with the inbox tuned (gap policy, retries, ...). */
    public synchronized Inbox consume(String consumer, Set<String> topics, MessageHandler handler, UnaryOperator<Inbox.Builder> options) {
        if (closed) {
            throw new IllegalStateException("the messaging of " + service + " is closed");
        }
        if (consumers.containsKey(consumer)) {
            throw new IllegalArgumentException(service + " already has a consumer named '" + consumer + "'");
        }
        if (!inboxMigrated) {
            Inbox.migrate(dataSource, SCHEMA);
            inboxMigrated = true;
        }
        Inbox inbox = options.apply(Inbox.builder(dataSource, consumer).clock(context.clock()).meterRegistry(registry))
                .schema(SCHEMA)
                .withoutMigration()
                .build();
        String group = service + "." + consumer;
        InboxSubscription subscription = inbox.start(transport, group, topics, handler);
        Consumer started = new Consumer(inbox, subscription, group, Set.copyOf(topics));
        consumers.put(consumer, started);
        readiness.forEach(health -> addCheck(health, consumer, started));
        log.info("{}: consumer {} reads {} in group {}", service, consumer, topics, group);
        return inbox;
    }

    /**
     * Adds readiness checks to a service's {@link Health}: each relay heartbeats its group (and says
     * which partitions it publishes), each consumer is a member of its Kafka group. Consumers started
     * later are added too.
     */
    public synchronized Health readiness(Health health) {
        Objects.requireNonNull(health, "health");
        readiness.add(health);
        for (OutboxRelay relay : relays) {
            health.check("relay:" + relay.name(), () -> relayCheck(relay));
        }
        consumers.forEach((name, consumer) -> addCheck(health, name, consumer));
        return health;
    }

    /**
     * The operator's endpoints for the service's parked messages (the gateway aggregates them):
     * {@code GET /admin/parked}, {@code POST /admin/parked/{id}/retry}, {@code POST /admin/parked/{id}/skip}.
     */
    public void adminRoutes(Javalin app) {
        new ParkedMessages(this::inboxes).routes(app);
    }

    synchronized List<Inbox> inboxes() {
        return consumers.values().stream().map(Consumer::inbox).toList();
    }

    private void addCheck(Health health, String name, Consumer consumer) {
        health.check("consumer:" + name, () -> closed ? Health.Check.down("stopped") : groups.check(consumer.group()));
    }

    private Health.Check relayCheck(OutboxRelay relay) {
        if (closed) {
            return Health.Check.down("stopped");
        }
        boolean alive = Transactions.withConnection(dataSource, "checking relay " + relay.name(), connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT seen_until > clock_timestamp() FROM "
                    + SCHEMA + ".relay_members WHERE relay = ? AND member = ?")) {
                select.setString(1, relay.name());
                select.setString(2, relay.member());
                try (ResultSet row = select.executeQuery()) {
                    return row.next() && row.getBoolean(1);
                }
            }
        });
        if (!alive) {
            return Health.Check.down("relay " + relay.name() + " has not renewed its membership of the relay group");
        }
        Set<Integer> owned = relay.ownedPartitions();
        return new Health.Check(true, owned.isEmpty()
                ? "UP: no partition held (other instances publish)"
                : "UP: publishing partitions " + owned);
    }

    /** Stops the consumers, then the relays (their leases go back), then the transport. The database pool is the caller's. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Consumer> running = new ArrayList<>(consumers.values());
        for (int i = running.size() - 1; i >= 0; i--) {
            closeQuietly("consumer " + running.get(i).group(), running.get(i).subscription());
        }
        for (int i = relays.size() - 1; i >= 0; i--) {
            closeQuietly("relay " + relays.get(i).name(), relays.get(i));
        }
        closeQuietly("Kafka transport", transport);
        closeQuietly("Kafka admin client", groups);
    }

    private void closeQuietly(String what, AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            log.warn("{}: stopping {} failed", service, what, e);
        }
    }

    @Override
    public String toString() {
        return "messaging of " + service + " (client " + clientId + ")";
    }

    public static final class Builder {
        private final ServiceContext context;
        private final Map<String, String> routes = new LinkedHashMap<>();
        private final Map<String, RelaySource> extraRelays = new LinkedHashMap<>();
        private PrometheusMeterRegistry registry;

        private Builder(ServiceContext context) {
            this.context = Objects.requireNonNull(context, "context");
        }

        /** Messages about this aggregate type go to this topic; the aggregate id is the Kafka key. */
        public Builder route(String aggregateType, String topic) {
            routes.put(Objects.requireNonNull(aggregateType, "aggregateType"), Objects.requireNonNull(topic, "topic"));
            return this;
        }

        /**
         * Publishes another source too, e.g. the service's event store ({@code EventStoreSource}), with a
         * relay of its own named {@code <service>.<name>}.
         */
        public Builder relay(String name, RelaySource source) {
            extraRelays.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(source, "source"));
            return this;
        }

        /** The registry for the meters; by default {@link ServiceHttp#newRegistry} of the service. */
        public Builder meterRegistry(PrometheusMeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Migrates the outbox and relay tables, connects to Kafka and starts the relays. Inbox
         * subscriptions start with {@link ServiceMessaging#consume}.
         */
        public ServiceMessaging start() {
            String service = context.name();
            Settings settings = context.settings();
            int partitions = settings.integer(service + ".relay.partitions", 4);
            Duration lease = settings.duration(service + ".relay.leaseDuration", Duration.ofSeconds(10));
            Duration poll = settings.duration(service + ".relay.pollInterval", Duration.ofSeconds(1));
            // one client id per instance, so that readiness can find this instance's consumers in their groups
            String clientId = service + "-" + UUID.randomUUID().toString().substring(0, 8);
            KafkaTransport transport = KafkaTransport.builder(context.kafkaBootstrap())
                    .clientId(clientId)
                    // the same for every instance on this database: a new relay instance fences the one it replaces
                    .transactionalIdPrefix("keel-" + context.database().name() + "-")
                    .topicPartitions(settings.integer("kafka.topicPartitions", 4))
                    .build();
            PrometheusMeterRegistry meters = registry != null ? registry : ServiceHttp.newRegistry(service);
            ServiceMessaging messaging = new ServiceMessaging(this, transport, clientId, meters);
            try {
                DataSource dataSource = context.database().dataSource();
                Map<String, RelaySource> sources = new LinkedHashMap<>();
                if (!routes.isEmpty()) {
                    OutboxWriter.migrate(dataSource, SCHEMA);
                    sources.put(service, OutboxSource.of(SCHEMA));
                }
                extraRelays.forEach((name, source) -> sources.put(service + "." + name, source));
                if (!sources.isEmpty()) {
                    OutboxRelay.migrate(dataSource, SCHEMA);
                }
                sources.forEach((name, source) -> messaging.relays.add(OutboxRelay.builder(dataSource, transport, source)
                        .name(name)
                        .schema(SCHEMA)
                        .partitions(partitions)
                        .leaseDuration(lease)
                        .pollInterval(poll)
                        .clock(context.clock())
                        .meterRegistry(meters)
                        .withoutMigration()
                        .start()));
                log.info("{}: messaging started (routes {}, relays {}, {} partitions each)", service, routes, sources.keySet(), partitions);
                return messaging;
            } catch (RuntimeException e) {
                messaging.close();
                throw e;
            }
        }
    }
}
