package dev.keel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.keel.eventstore.codec.EventCodec;
import dev.keel.eventstore.postgres.PostgresEventStore;
import dev.keel.eventstore.snapshot.SnapshotCodec;
import dev.keel.eventstore.snapshot.SnapshotPolicy;
import dev.keel.eventstore.sourcing.EventSourcedRepository;
import dev.keel.eventstore.sourcing.Outcome;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.Test;

/** The example of keel-eventstore/README.md, run: keep the two the same. */
@WithInfrastructure
class ReadmeExampleTest {

    @Test
    void the_readme_example_works(TestDatabase db) {
        javax.sql.DataSource dataSource = db.dataSource();
        EventCodec<Cart.Event> codec = EventSourcedRepositoryTest.EVENTS;
        List<String> seen = new CopyOnWriteArrayList<>();

        // --- README example
        PostgresEventStore store = PostgresEventStore.builder(dataSource).schema("shop").build();
        store.append("order-7", ExpectedVersion.noStream(), EventData.of("OrderPlaced", "{\"total\":42}"));
        List<RecordedEvent> order = store.readStream("order-7");
        Subscription orders = store.subscribe(SubscriptionOptions.fromStart().filter(EventFilter.category("order")),
                event -> seen.add(event.streamId() + "@" + event.streamVersion() + " " + event.type()));

        EventSourcedRepository<Cart.Command, Cart, Cart.Event> carts = EventSourcedRepository.builder(store, Cart.decider(), codec)
                .snapshots(store.snapshots(), SnapshotCodec.of("shop.cart.Cart", 1, Cart.class), SnapshotPolicy.everyEvents(100))
                .retryOnConflict(3)
                .build();
        carts.handle("cart-42", new Cart.Open("ann"));
        Outcome<Cart, Cart.Event> outcome = carts.handle("cart-42", new Cart.AddItem("A-1", 2));
        Cart asItWas = carts.loadAsOf("cart-42", 1).state();
        // --- end of README example

        assertThat(order).extracting(RecordedEvent::type).containsExactly("OrderPlaced");
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.equals(List.of("order-7@1 OrderPlaced")));
        assertThat(outcome.state().items()).containsEntry("A-1", 2);
        assertThat(asItWas.items()).isEmpty();
        orders.close();
        store.close();
    }
}
