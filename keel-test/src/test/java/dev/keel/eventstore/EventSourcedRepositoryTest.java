package dev.keel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.ManualClock;
import dev.keel.core.Message;
import dev.keel.core.Metadata;
import dev.keel.eventstore.codec.EventCodec;
import dev.keel.eventstore.codec.Upcasters;
import dev.keel.eventstore.postgres.PostgresEventStore;
import dev.keel.eventstore.snapshot.Snapshot;
import dev.keel.eventstore.snapshot.SnapshotCodec;
import dev.keel.eventstore.snapshot.SnapshotPolicy;
import dev.keel.eventstore.sourcing.EventSourcedRepository;
import dev.keel.eventstore.sourcing.Loaded;
import dev.keel.eventstore.sourcing.Outcome;
import dev.keel.postgres.LogPosition;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The event-sourced repository over the test domain's decider, on PostgreSQL. */
@WithInfrastructure
class EventSourcedRepositoryTest {

    /** Cart events; ItemAdded is in version 2 now — version 1 had no quantity. */
    static final EventCodec<Cart.Event> EVENTS = EventCodec.builder(Cart.Event.class)
            .register("shop.cart.Opened", Cart.Opened.class)
            .register("shop.cart.ItemAdded", 2, Cart.ItemAdded.class)
            .register("shop.cart.CheckedOut", Cart.CheckedOut.class)
            .upcast("shop.cart.ItemAdded", 1, v1 -> v1.put("quantity", 1))
            .build();

    /** Cart snapshots are in version 2 now — version 1 called the owner "customer". */
    static final SnapshotCodec<Cart> SNAPSHOTS = SnapshotCodec.of("shop.cart.Cart", 2, Cart.class)
            .withUpcasters(Upcasters.builder().add("shop.cart.Cart", 1, EventSourcedRepositoryTest::renameCustomerToOwner).build());

    private static ObjectNode renameCustomerToOwner(ObjectNode v1) {
        v1.set("owner", v1.remove("customer"));
        return v1;
    }

    private static PostgresEventStore store;
    private final ManualClock clock = ManualClock.at("2026-11-23T10:00:00Z");
    private final String cart = "cart-" + UUID.randomUUID();

    @BeforeAll
    static void open(TestDatabase db) {
        store = PostgresEventStore.builder(db.dataSource()).schema("carts").build();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private EventSourcedRepository<Cart.Command, Cart, Cart.Event> carts(EventStore on, int retries) {
        return EventSourcedRepository.builder(on, Cart.decider(), EVENTS)
                .snapshots(store.snapshots(), SNAPSHOTS, SnapshotPolicy.everyEvents(3))
                .retryOnConflict(retries)
                .clock(clock)
                .build();
    }

    private EventSourcedRepository<Cart.Command, Cart, Cart.Event> carts() {
        return carts(store, 0);
    }

    @Test
    void handles_a_command_by_loading_deciding_and_appending_with_the_loaded_version() {
        var carts = carts();
        carts.handle(cart, new Cart.Open("ann"));

        Outcome<Cart, Cart.Event> outcome = carts.handle(cart, new Cart.AddItem("A-1", 2));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Accepted.class, accepted -> {
            assertThat(accepted.events()).containsExactly(new Cart.ItemAdded("A-1", 2));
            assertThat(accepted.version()).isEqualTo(2);
            assertThat(accepted.position()).isPresent();
        });
        assertThat(carts.load(cart)).isEqualTo(new Loaded<>(cart, new Cart("ann", Map.of("A-1", 2), false), 2));
        assertThat(store.readStream(cart)).extracting(RecordedEvent::type).containsExactly("shop.cart.Opened", "shop.cart.ItemAdded");
    }

    @Test
    void a_rejected_command_stores_nothing_and_says_why() {
        var carts = carts();

        Outcome<Cart, Cart.Event> outcome = carts.handle(cart, new Cart.CheckOut());

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class,
                rejected -> assertThat(rejected.rejection().code()).isEqualTo("cart-empty"));
        assertThat(store.describe(cart).state()).isEqualTo(StreamInfo.StreamState.NO_STREAM);
    }

    @Test
    void a_command_that_changes_nothing_stores_nothing() {
        var carts = carts();
        carts.handle(cart, new Cart.Open("ann"));
        carts.handle(cart, new Cart.AddItem("A-1", 1));
        carts.handle(cart, new Cart.CheckOut());

        Outcome<Cart, Cart.Event> again = carts.handle(cart, new Cart.CheckOut());

        assertThat(again).isInstanceOfSatisfying(Outcome.Accepted.class, accepted -> {
            assertThat(accepted.events()).isEmpty();
            assertThat(accepted.position()).isEmpty();
        });
        assertThat(store.describe(cart).version()).isEqualTo(3);
    }

    @Test
    void events_carry_the_commands_correlation_and_name_it_as_their_cause() {
        Metadata command = Metadata.newFlow(clock);

        carts().handle(cart, new Cart.Open("ann"), command);

        Message<Cart.Event> stored = EVENTS.decode(store.readStream(cart).get(0));
        assertThat(stored.payload()).isEqualTo(new Cart.Opened("ann"));
        assertThat(stored.correlationId()).isEqualTo(command.correlationId());
        assertThat(stored.metadata().causation()).contains(command.messageId());
        assertThat(stored.metadata().occurredAt()).isEqualTo(clock.instant());
    }

    @Test
    void without_retries_a_conflict_reaches_the_caller_and_nothing_is_stored() {
        carts().handle(cart, new Cart.Open("ann"));
        EventStore interfering = interferingOnce(store, cart);

        assertThatThrownBy(() -> carts(interfering, 0).handle(cart, new Cart.AddItem("A-1", 1)))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
                    assertThat(e.expected()).isEqualTo(ExpectedVersion.exactly(1));
                    assertThat(e.actual()).isEqualTo(2);
                });
        assertThat(carts().load(cart).state().items()).containsExactly(Map.entry("B-9", 1));
    }

    @Test
    void with_retries_a_conflicting_command_is_decided_again_on_the_new_state() {
        carts().handle(cart, new Cart.Open("ann"));
        EventStore interfering = interferingOnce(store, cart);

        Outcome<Cart, Cart.Event> outcome = carts(interfering, 1).handle(cart, new Cart.AddItem("A-1", 1));

        assertThat(outcome.version()).isEqualTo(3);
        assertThat(outcome.state().items()).containsOnlyKeys("A-1", "B-9");
    }

    @Test
    void concurrent_commands_on_one_stream_all_land_when_retried() throws Exception {
        carts().handle(cart, new Cart.Open("ann"));
        var carts = carts(store, 20);
        ExecutorService executor = Executors.newFixedThreadPool(6);
        try {
            List<Future<Outcome<Cart, Cart.Event>>> outcomes = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String sku = "S-" + i;
                outcomes.add(executor.submit(() -> carts.handle(cart, new Cart.AddItem(sku, 1))));
            }
            for (Future<Outcome<Cart, Cart.Event>> outcome : outcomes) {
                assertThat(outcome.get(1, TimeUnit.MINUTES)).isInstanceOf(Outcome.Accepted.class);
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(carts.load(cart).state().count()).isEqualTo(12);
        assertThat(carts.load(cart).version()).isEqualTo(13);
    }

    @Test
    void takes_a_snapshot_every_few_events_and_loads_from_it() {
        var carts = carts();
        carts.handle(cart, new Cart.Open("ann"));
        carts.handle(cart, new Cart.AddItem("A-1", 1));
        carts.handle(cart, new Cart.AddItem("A-1", 1));
        carts.handle(cart, new Cart.AddItem("B-2", 1));

        Snapshot snapshot = store.snapshots().load(cart, "shop.cart.Cart").orElseThrow();
        assertThat(snapshot.streamVersion()).isEqualTo(3);
        assertThat(snapshot.schemaVersion()).isEqualTo(2);
        assertThat(carts.load(cart)).isEqualTo(new Loaded<>(cart, new Cart("ann", Map.of("A-1", 2, "B-2", 1), false), 4));
    }

    @Test
    void reads_a_stored_version_1_event_as_version_2() {
        store.append(cart, ExpectedVersion.noStream(),
                new EventData(UUID.randomUUID(), "shop.cart.Opened", 1, "{\"owner\":\"ann\"}", "{}"),
                new EventData(UUID.randomUUID(), "shop.cart.ItemAdded", 1, "{\"sku\":\"A-1\"}", "{}"));

        Message<Cart.Event> lifted = EVENTS.decode(store.readStream(cart).get(1));

        assertThat(lifted.schemaVersion()).isEqualTo(2);
        assertThat(lifted.payload()).isEqualTo(new Cart.ItemAdded("A-1", 1));
        assertThat(carts().load(cart).state().items()).containsExactly(Map.entry("A-1", 1));
    }

    @Test
    void reads_a_stored_version_1_snapshot_through_its_upcaster() {
        appendOpenedAndItems(3);
        store.snapshots().save(new Snapshot(cart, 2, "shop.cart.Cart", 1,
                "{\"customer\":\"from-the-snapshot\",\"items\":{\"I-1\":1},\"checkedOut\":false}", clock.instant()));

        Loaded<Cart> loaded = carts().load(cart);

        assertThat(loaded.state().owner()).as("the snapshot was used").isEqualTo("from-the-snapshot");
        assertThat(loaded.state().items()).containsOnlyKeys("I-1", "I-2", "I-3");
        assertThat(loaded.version()).isEqualTo(4);
    }

    @Test
    void ignores_a_snapshot_it_cannot_read_and_replays_the_events_instead() {
        appendOpenedAndItems(2);
        store.snapshots().save(new Snapshot(cart, 2, "shop.cart.Cart", 3, "{\"owner\":\"newer code wrote this\"}", clock.instant()));
        assertThat(carts().load(cart).state()).isEqualTo(new Cart("ann", Map.of("I-1", 1, "I-2", 1), false));

        String other = "cart-" + UUID.randomUUID();
        store.append(other, ExpectedVersion.noStream(), EVENTS.encode(new Cart.Opened("bob"), Metadata.newFlow(clock)));
        store.snapshots().save(new Snapshot(other, 1, "shop.cart.Cart", 2, "{\"owner\":[\"not\",\"a\",\"name\"]}", clock.instant()));
        assertThat(carts().load(other).state().owner()).isEqualTo("bob");
    }

    @Test
    void loads_the_state_as_of_a_version() {
        appendOpenedAndItems(4);
        store.snapshots().save(SNAPSHOTS.encode(cart, 4, carts().load(cart).state(), clock.instant()));

        assertThat(carts().loadAsOf(cart, 2)).isEqualTo(new Loaded<>(cart, new Cart("ann", Map.of("I-1", 1), false), 2));
        assertThat(carts().loadAsOf(cart, 0)).isEqualTo(new Loaded<>(cart, Cart.NONE, 0));
        assertThat(carts().loadAsOf(cart, 99).version()).isEqualTo(5);
    }

    @Test
    void loads_the_state_as_of_an_instant() {
        appendOpenedAndItems(1);
        appendItems(2, 3);
        List<RecordedEvent> events = store.readStream(cart);
        Instant afterSecond = events.get(1).recordedAt();

        assertThat(carts().loadAt(cart, afterSecond)).isEqualTo(new Loaded<>(cart, new Cart("ann", Map.of("I-1", 1), false), 2));
        assertThat(carts().loadAt(cart, events.get(0).recordedAt().minusSeconds(1)).version()).isZero();
        assertThat(carts().loadAt(cart, Instant.now().plusSeconds(60)).version()).isEqualTo(4);
    }

    @Test
    void a_deleted_stream_cannot_be_loaded_and_an_archived_one_takes_no_commands() {
        carts().handle(cart, new Cart.Open("ann"));
        store.archive(cart, ExpectedVersion.any());
        assertThat(carts().load(cart).state().owner()).isEqualTo("ann");
        assertThatThrownBy(() -> carts().handle(cart, new Cart.AddItem("A-1", 1))).isInstanceOf(StreamArchivedException.class);

        store.delete(cart, ExpectedVersion.any());
        assertThatThrownBy(() -> carts().load(cart)).isInstanceOf(StreamDeletedException.class);
    }

    private void appendOpenedAndItems(int items) {
        store.append(cart, ExpectedVersion.noStream(), EVENTS.encode(new Cart.Opened("ann"), Metadata.newFlow(clock)));
        appendItems(1, items);
    }

    private void appendItems(int from, int to) {
        for (int i = from; i <= to; i++) {
            store.append(cart, ExpectedVersion.any(), EVENTS.encode(new Cart.ItemAdded("I-" + i, 1), Metadata.newFlow(clock)));
        }
    }

    /** A store through which, just before the first append, another writer appends an item to the stream. */
    private static EventStore interferingOnce(EventStore store, String stream) {
        AtomicBoolean done = new AtomicBoolean();
        return new EventStore() {
            @Override
            public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
                if (done.compareAndSet(false, true)) {
                    store.append(stream, ExpectedVersion.any(), EVENTS.encode(new Cart.ItemAdded("B-9", 1), Metadata.newFlow(java.time.Clock.systemUTC())));
                }
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
            }
        };
    }
}
