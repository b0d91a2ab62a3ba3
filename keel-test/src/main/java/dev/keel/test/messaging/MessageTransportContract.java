package dev.keel.test.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.keel.messaging.spi.MessageTransport;
import dev.keel.messaging.spi.PublisherFencedException;
import dev.keel.messaging.spi.ReceivedRecord;
import dev.keel.messaging.spi.RecordHandler;
import dev.keel.messaging.spi.TransportPublisher;
import dev.keel.messaging.spi.TransportSubscription;
import dev.keel.messaging.spi.WireRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MessageTransport} does. An adapter's test is a subclass that says how to make one:
 *
 * <pre>{@code
 * class InMemoryTransportTest extends MessageTransportContract {
 *     protected MessageTransport newTransport() { return InMemoryTransport.create(); }
 * }
 * }</pre>
 *
 * Each test uses topics and groups of its own, so subclasses may share a broker.
 */
public abstract class MessageTransportContract {

    /** How long anything may take to arrive; generous, since brokers rebalance groups at their own pace. */
    protected static final Duration PATIENCE = Duration.ofSeconds(60);

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<TransportSubscription> subscriptions = new ArrayList<>();
    private MessageTransport transport;

    /** A fresh transport; closed after each test. */
    protected abstract MessageTransport newTransport();

    @BeforeEach
    void openTransport() {
        transport = newTransport();
    }

    @AfterEach
    void closeTransport() {
        subscriptions.forEach(TransportSubscription::close);
        transport.close();
    }

    protected MessageTransport transport() {
        return transport;
    }

    /** A topic name of this test's own. */
    protected String topic(String name) {
        return "contract-" + run + "-" + name;
    }

    protected String group(String name) {
        return "contract-" + run + "-" + name;
    }

    @Test
    void delivers_a_published_record_with_its_key_headers_and_value() {
        String topic = topic("greetings");
        Collector received = subscribe(group("reader"), topic);
        WireRecord record = record(topic, "order-1", "hello", Map.of("ce_type", "greeting", "traceparent", "t"));

        publish("writer", record);

        await().atMost(PATIENCE).until(() -> received.records().size() == 1);
        ReceivedRecord delivered = received.records().get(0);
        assertThat(delivered.record()).isEqualTo(record);
        assertThat(delivered.topic()).isEqualTo(topic);
        assertThat(delivered.key()).isEqualTo("order-1");
        assertThat(delivered.offset()).isNotNegative();
    }

    @Test
    void delivers_a_record_without_a_key() {
        String topic = topic("keyless");
        Collector received = subscribe(group("reader"), topic);

        publish("writer", record(topic, "", "no key", Map.of()));

        await().atMost(PATIENCE).until(() -> received.records().size() == 1);
        assertThat(received.records().get(0).key()).isEmpty();
        assertThat(text(received.records().get(0))).isEqualTo("no key");
    }

    @Test
    void delivers_the_records_of_one_key_in_the_order_they_were_published() {
        String topic = topic("ordered");
        Collector received = subscribe(group("reader"), topic);
        List<String> keys = List.of("a", "b", "c", "d", "e", "f", "g");
        int perKey = 30;

        try (TransportPublisher publisher = transport.openPublisher(group("writer"))) {
            for (int batch = 0; batch < 3; batch++) {
                List<WireRecord> records = new ArrayList<>();
                for (int i = batch * perKey / 3; i < (batch + 1) * perKey / 3; i++) {
                    for (String key : keys) {
                        records.add(record(topic, key, key + "-" + i, Map.of()));
                    }
                }
                publisher.publish(records);
            }
        }

        await().atMost(PATIENCE).until(() -> received.records().size() == keys.size() * perKey);
        for (String key : keys) {
            List<String> values = received.records().stream().filter(r -> r.key().equals(key)).map(MessageTransportContract::text).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < perKey; i++) {
                expected.add(key + "-" + i);
            }
            assertThat(values).as("records of key %s", key).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void a_publisher_opened_under_the_same_fencing_id_fences_the_earlier_one() {
        String topic = topic("fenced");
        Collector received = subscribe(group("reader"), topic);
        TransportPublisher first = transport.openPublisher(group("partition-0"));
        first.publish(List.of(record(topic, "k", "from the first", Map.of())));

        try (TransportPublisher second = transport.openPublisher(group("partition-0"))) {
            assertThatThrownBy(() -> first.publish(List.of(record(topic, "k", "from the fenced one", Map.of()))))
                    .isInstanceOf(PublisherFencedException.class)
                    .hasMessageContaining(group("partition-0"));
            second.publish(List.of(record(topic, "k", "from the second", Map.of())));
        } finally {
            first.close();
        }

        await().atMost(PATIENCE).until(() -> received.records().size() >= 2);
        assertThat(received.records()).extracting(MessageTransportContract::text)
                .containsExactly("from the first", "from the second");
    }

    @Test
    void a_closed_publisher_refuses_to_publish() {
        TransportPublisher publisher = transport.openPublisher(group("closed"));
        publisher.close();

        assertThatThrownBy(() -> publisher.publish(List.of(record(topic("closed"), "k", "v", Map.of()))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void every_group_receives_every_record() {
        String topic = topic("broadcast");
        Collector billing = subscribe(group("billing"), topic);
        Collector shipping = subscribe(group("shipping"), topic);

        publish("writer", record(topic, "k1", "one", Map.of()), record(topic, "k2", "two", Map.of()));

        await().atMost(PATIENCE).until(() -> billing.records().size() == 2 && shipping.records().size() == 2);
        assertThat(billing.records()).extracting(MessageTransportContract::text).containsExactlyInAnyOrder("one", "two");
        assertThat(shipping.records()).extracting(MessageTransportContract::text).containsExactlyInAnyOrder("one", "two");
    }

    @Test
    void members_of_one_group_share_the_records_and_the_group_gets_every_one() {
        String topic = topic("shared");
        String group = group("workers");
        Collector first = subscribe(group, topic);
        Collector second = subscribe(group, topic);
        List<String> published = new ArrayList<>();

        try (TransportPublisher publisher = transport.openPublisher(group("writer"))) {
            // keep publishing until both members have work: a broker assigns partitions at its own pace
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
                List<WireRecord> batch = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    String value = "m" + published.size();
                    published.add(value);
                    batch.add(record(topic, "key-" + (published.size() % 16), value, Map.of()));
                }
                publisher.publish(batch);
                return !first.records().isEmpty() && !second.records().isEmpty();
            });
        }

        await().atMost(PATIENCE).until(() -> union(first, second).containsAll(published));
        assertThat(first.records()).isNotEmpty();
        assertThat(second.records()).isNotEmpty();
    }

    @Test
    void a_new_group_starts_at_the_beginning_of_the_topic() {
        String topic = topic("history");
        publish("writer", record(topic, "k", "old news", Map.of()));
        Collector early = subscribe(group("early"), topic);
        await().atMost(PATIENCE).until(() -> early.records().size() == 1);

        Collector late = subscribe(group("late"), topic);

        await().atMost(PATIENCE).until(() -> late.records().size() == 1);
        assertThat(text(late.records().get(0))).isEqualTo("old news");
        assertThat(late.records().get(0).offset()).isEqualTo(early.records().get(0).offset());
    }

    @Test
    void a_record_whose_handler_throws_comes_again_before_any_later_record_of_its_key() {
        String topic = topic("retried");
        AtomicBoolean failedOnce = new AtomicBoolean();
        List<String> attempts = new CopyOnWriteArrayList<>();
        subscribe(group("reader"), topic, record -> {
            attempts.add(text(record));
            if (text(record).equals("second") && failedOnce.compareAndSet(false, true)) {
                throw new IllegalStateException("the database is away");
            }
        });

        publish("writer", record(topic, "k", "first", Map.of()), record(topic, "k", "second", Map.of()),
                record(topic, "k", "third", Map.of()));

        await().atMost(PATIENCE).until(() -> attempts.contains("third"));
        assertThat(attempts).containsExactly("first", "second", "second", "third");
    }

    @Test
    void a_group_resumes_after_the_last_record_its_handler_returned_from() {
        String topic = topic("resumed");
        String group = group("reader");
        List<String> firstRun = new CopyOnWriteArrayList<>();
        TransportSubscription subscription = transport.subscribe(group, Set.of(topic), record -> {
            firstRun.add(text(record));
            if (text(record).equals("4")) {
                throw new IllegalStateException("stopping here");
            }
        });
        publish("writer", record(topic, "k", "1", Map.of()), record(topic, "k", "2", Map.of()), record(topic, "k", "3", Map.of()),
                record(topic, "k", "4", Map.of()), record(topic, "k", "5", Map.of()));
        await().atMost(PATIENCE).until(() -> firstRun.contains("4"));
        subscription.close();

        Collector secondRun = subscribe(group, topic);

        await().atMost(PATIENCE).until(() -> secondRun.records().size() >= 2);
        assertThat(secondRun.records()).extracting(MessageTransportContract::text).containsExactly("4", "5");
    }

    @Test
    void refuses_blank_fencing_ids_groups_and_empty_subscriptions() {
        assertThatThrownBy(() -> transport.openPublisher(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fencing id");
        assertThatThrownBy(() -> transport.subscribe("", Set.of(topic("x")), record -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group");
        assertThatThrownBy(() -> transport.subscribe(group("g"), Set.of(), record -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one topic");
        assertThatThrownBy(() -> transport.subscribe(group("g"), Set.of("no spaces allowed"), record -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic name");
    }

    // ---- helpers

    /** Collects what a subscription receives. */
    protected static final class Collector implements RecordHandler {
        private final List<ReceivedRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public void handle(ReceivedRecord record) {
            records.add(record);
        }

        public List<ReceivedRecord> records() {
            return records;
        }
    }

    protected Collector subscribe(String group, String topic) {
        Collector collector = new Collector();
        subscribe(group, topic, collector);
        return collector;
    }

    protected TransportSubscription subscribe(String group, String topic, RecordHandler handler) {
        TransportSubscription subscription = transport.subscribe(group, Set.of(topic), handler);
        subscriptions.add(subscription);
        return subscription;
    }

    protected void publish(String writer, WireRecord... records) {
        try (TransportPublisher publisher = transport.openPublisher(group(writer))) {
            publisher.publish(List.of(records));
        }
    }

    protected static WireRecord record(String topic, String key, String value, Map<String, String> headers) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        headers.forEach((name, text) -> bytes.put(name, text.getBytes(StandardCharsets.UTF_8)));
        return new WireRecord(topic, key, bytes, value.getBytes(StandardCharsets.UTF_8));
    }

    protected static String text(ReceivedRecord record) {
        return new String(record.record().value(), StandardCharsets.UTF_8);
    }

    private static List<String> union(Collector first, Collector second) {
        List<String> all = new ArrayList<>();
        first.records().forEach(r -> all.add(text(r)));
        second.records().forEach(r -> all.add(text(r)));
        return all;
    }
}
