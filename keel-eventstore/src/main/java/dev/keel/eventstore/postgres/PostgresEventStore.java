package dev.keel.eventstore.postgres;

import java.sql.Connection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import dev.keel.eventstore.Append;
import dev.keel.eventstore.AppendResult;
import dev.keel.eventstore.CheckpointStore;
import dev.keel.eventstore.EventData;
import dev.keel.eventstore.EventFilter;
import dev.keel.eventstore.EventHandler;
import dev.keel.eventstore.EventStore;
import dev.keel.eventstore.EventStoreSettings;
import dev.keel.eventstore.EventStores;
import dev.keel.eventstore.ExpectedVersion;
import dev.keel.eventstore.InvalidRequestException;
import dev.keel.eventstore.RecordedEvent;
import dev.keel.eventstore.StreamInfo;
import dev.keel.eventstore.StreamRead;
import dev.keel.eventstore.Subscription;
import dev.keel.eventstore.SubscriptionOptions;
import dev.keel.eventstore.snapshot.SnapshotStore;
import dev.keel.postgres.LogPosition;
import dev.keel.postgres.Migrations;
import dev.keel.postgres.SqlNames;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The event store on PostgreSQL: the {@code events} table of a schema of its own (default
 * {@code keel}), migrated by Flyway on {@link Builder#build()}.
 *
 * <pre>{@code
 * PostgresEventStore store = PostgresEventStore.builder(dataSource).schema("orders").build();
 * store.append("order-7", ExpectedVersion.noStream(), EventData.of("shop.order.OrderPlaced", json));
 * }</pre>
 *
 * <p>Concurrent appends are written in shared transactions (group commit, {@link GroupCommit}); the
 * data source should offer at least {@code maxConcurrentBatches} connections for them plus what
 * readers and subscriptions use. Besides the {@link EventStore} roles it can
 * {@linkplain #appendWithin append in the caller's transaction}, and it holds the snapshots and
 * subscription checkpoints of the schema.
 */
public final class PostgresEventStore implements EventStore {

    private final EventStore store;
    private final PostgresEventStorage storage;
    private final EventStoreSettings settings;
    private final SnapshotStore snapshots;
    private final CheckpointStore checkpoints;

    private PostgresEventStore(Builder builder) {
        this.settings = builder.named ? builder.settings : builder.settings.withName(builder.schema);
        if (builder.migrate) {
            Migrations.migrate(builder.dataSource, "eventstore", builder.schema, "db/keel/eventstore");
        }
        this.storage = new PostgresEventStorage(builder.dataSource, builder.schema, builder.groupCommit,
                settings.meterRegistry(), settings.name());
        this.store = EventStores.create(storage, settings);
        this.snapshots = new PostgresSnapshotStore(builder.dataSource, builder.schema);
        this.checkpoints = new PostgresCheckpointStore(builder.dataSource, builder.schema);
    }

    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * Appends within the caller's transaction on {@code connection} (auto-commit off), so that the events
     * and the caller's other writes commit or roll back together. The same checks as
     * {@link #append(String, ExpectedVersion, List)}, without group commit; subscribers are woken when
     * the caller commits. Such appends are not counted in the metrics (they may still roll back).
     */
    public AppendResult appendWithin(Connection connection, String streamId, ExpectedVersion expected, List<EventData> events) {
        Objects.requireNonNull(connection, "connection");
        return storage.appendWithin(connection, Append.validated(streamId, expected, events, settings));
    }

    /** The schema holding the tables. */
    public String schema() {
        return storage.schema();
    }

    /** The events table, schema-qualified: other modules read it as a log with {@code CommittedLog}. */
    public String eventsTable() {
        return storage.schema() + ".events";
    }

    /** The channel a {@code NOTIFY} goes to when events are committed. */
    public String notificationChannel() {
        return storage.channel();
    }

    /** The snapshots of this schema's streams (deleted with their stream). */
    public SnapshotStore snapshots() {
        return snapshots;
    }

    /** Subscription checkpoints kept in this schema. */
    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    @Override
    public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
        return store.append(streamId, expected, events);
    }

    @Override
    public List<RecordedEvent> readStream(String streamId, StreamRead read) {
        return store.readStream(streamId, read);
    }

    @Override
    public List<RecordedEvent> readAll(LogPosition after, EventFilter filter, int limit) {
        return store.readAll(after, filter, limit);
    }

    @Override
    public Optional<LogPosition> head() {
        return store.head();
    }

    @Override
    public Subscription subscribe(SubscriptionOptions options, EventHandler handler) {
        return store.subscribe(options, handler);
    }

    @Override
    public StreamInfo describe(String streamId) {
        return store.describe(streamId);
    }

    @Override
    public AppendResult archive(String streamId, ExpectedVersion expected) {
        return store.archive(streamId, expected);
    }

    @Override
    public AppendResult delete(String streamId, ExpectedVersion expected) {
        return store.delete(streamId, expected);
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return store.toString();
    }

    public static final class Builder {
        private final DataSource dataSource;
        private String schema = "keel";
        private boolean migrate = true;
        private EventStoreSettings settings = EventStoreSettings.defaults("keel");
        private boolean named;
        private GroupCommitSettings groupCommit = GroupCommitSettings.DEFAULTS;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** The schema of the tables (created if needed); default {@code keel}. At most 56 characters. */
        public Builder schema(String schema) {
            SqlNames.identifier(schema, "schema");
            if (schema.length() > 56) {
                // the notification channel <schema>_events must stay within PostgreSQL's 63 characters
                throw InvalidRequestException.invalidOption("an event store schema has at most 56 characters, got " + schema);
            }
            this.schema = schema;
            return this;
        }

        /** Whether {@link #build()} applies the migrations (default); turn off if they are applied elsewhere. */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /** Limits, name and meter registry; the name defaults to the schema. */
        public Builder settings(EventStoreSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            this.named = true;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.settings = settings.withMeterRegistry(registry);
            return this;
        }

        /**
         * Group commit: how many transactions of appends may be in flight at once (default 2) and how
         * many appends (default 256) and events (default 4,096) one may carry.
         */
        public Builder groupCommit(int maxConcurrentBatches, int maxAppendsPerBatch, int maxEventsPerBatch) {
            if (maxConcurrentBatches < 1 || maxAppendsPerBatch < 1 || maxEventsPerBatch < 1) {
                throw InvalidRequestException.invalidOption("group commit needs positive limits, got " + maxConcurrentBatches
                        + ", " + maxAppendsPerBatch + ", " + maxEventsPerBatch);
            }
            this.groupCommit = new GroupCommitSettings(maxConcurrentBatches, maxAppendsPerBatch, maxEventsPerBatch);
            return this;
        }

        /** Migrates (unless told not to) and returns the store. */
        public PostgresEventStore build() {
            return new PostgresEventStore(this);
        }
    }
}
