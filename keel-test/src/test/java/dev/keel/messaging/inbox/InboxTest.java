package dev.keel.messaging.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keel.core.ManualClock;
import dev.keel.core.Message;
import dev.keel.core.NonTransientException;
import dev.keel.core.TransientException;
import dev.keel.messaging.CloudEventsBinary;
import dev.keel.messaging.Envelope;
import dev.keel.messaging.memory.InMemoryTransport;
import dev.keel.messaging.spi.TransportPublisher;
import dev.keel.messaging.spi.WireRecord;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithInfrastructure
class InboxTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final RetryPolicy QUICK_RETRIES = RetryPolicy.exponential(3, Duration.ofMillis(5), Duration.ofMillis(20));

    private final TestDatabase db;
    private final InMemoryTransport transport = InMemoryTransport.create();
    private final TransportPublisher publisher = transport.openPublisher("inbox-test");
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String topic = "orders-" + run;
    private final String consumer = "billing-" + run;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<InboxSubscription> running = new ArrayList<>();

    InboxTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    static void effectsTable(TestDatabase db) {
        db.execute("CREATE TABLE IF NOT EXISTS effects (id bigserial PRIMARY KEY, consumer text, key text, seq bigint, payload text)");
    }

    @AfterEach
    void stop() {
        running.forEach(InboxSubscription::close);
        transport.close();
    }

    @Test
    void handles_each_message_once_with_its_effects_in_the_same_transaction() {
        start(inbox().build(), this::recordEffect);

        publish(message("a", 1, "a1"), message("b", 1, "b1"), message("a", 2, "a2"));

        await().atMost(PATIENCE).until(() -> effects().size() == 3);
        assertThat(effects("a")).containsExactly("a1", "a2");
        assertThat(effects("b")).containsExactly("b1");
        assertThat(count("SELECT count(*) FROM keel.inbox_handled WHERE consumer = '" + consumer + "'")).isEqualTo(3);
        assertThat(meters.counter("keel.messaging.inbox.handled", "consumer", consumer).count()).isEqualTo(3);
    }

    @Test
    void a_redelivered_message_has_no_second_effect() {
        start(inbox().build(), this::recordEffect);
        Envelope first = message("a", 1, "a1");
        Envelope sameSequenceOtherId = message("a", 1, "a1 again, under another id");

        publish(first, first, sameSequenceOtherId, message("a", 2, "a2"));

        await().atMost(PATIENCE).until(() -> effects("a").size() == 2
                && meters.counter("keel.messaging.inbox.duplicates", "consumer", consumer).count() == 2);
        assertThat(effects("a")).containsExactly("a1", "a2");
    }

    @Test
    void holds_back_a_message_that_arrives_before_its_predecessor_and_then_handles_both_in_order() {
        start(inbox().onGap(GapPolicy.holdBack(Duration.ofMinutes(5))).build(), this::recordEffect);

        publish(message("a", 2, "a2"), message("b", 1, "b1"));
        await().atMost(PATIENCE).until(() -> effects("b").size() == 1);
        assertThat(effects("a")).as("#2 waits for #1").isEmpty();

        publish(message("a", 1, "a1"));

        await().atMost(PATIENCE).until(() -> effects("a").size() == 2);
        assertThat(effects("a")).containsExactly("a1", "a2");
        assertThat(meters.counter("keel.messaging.inbox.gaps", "consumer", consumer).count()).isEqualTo(1);
    }

    @Test
    void parks_a_held_back_message_whose_predecessor_does_not_come_in_time_and_retrying_accepts_the_gap() {
        ManualClock clock = ManualClock.at("2026-01-01T10:00:00Z");
        Inbox inbox = inbox().clock(clock).onGap(GapPolicy.holdBack(Duration.ofMinutes(1))).pollInterval(Duration.ofMillis(20)).build();
        start(inbox, this::recordEffect);

        publish(message("a", 2, "a2"));
        await().atMost(PATIENCE).until(() -> count("SELECT count(*) FROM keel.inbox_pending WHERE consumer = '" + consumer + "'") == 1);
        assertThat(inbox.deadLetters().parked()).as("held back, not parked yet").isEmpty();

        clock.advance(Duration.ofMinutes(2));

        await().atMost(PATIENCE).until(() -> inbox.deadLetters().parked().size() == 1);
        publish(message("a", 3, "a3"));
        await().atMost(PATIENCE).until(() -> inbox.deadLetters().parked().get(0).waitingBehind() == 1);
        ParkedMessage parked = inbox.deadLetters().parked().get(0);
        assertThat(parked.reason()).isEqualTo(ParkedMessage.Reason.GAP);
        assertThat(parked.sequence()).hasValue(2);
        assertThat(parked.error()).contains("#1").contains("#2");
        assertThat(effects("a")).isEmpty();

        inbox.deadLetters().retry(parked.id());

        await().atMost(PATIENCE).until(() -> effects("a").size() == 2);
        assertThat(effects("a")).containsExactly("a2", "a3");
        assertThat(inbox.deadLetters().list()).isEmpty();
    }

    @Test
    void rejecting_gaps_parks_at_once_and_the_late_predecessor_still_releases_it() {
        Inbox inbox = inbox().onGap(GapPolicy.reject()).build();
        start(inbox, this::recordEffect);

        publish(message("a", 2, "a2"));
        await().atMost(PATIENCE).until(() -> inbox.deadLetters().parked().size() == 1);
        assertThat(inbox.deadLetters().parked().get(0).reason()).isEqualTo(ParkedMessage.Reason.GAP);

        publish(message("a", 1, "a1"));

        await().atMost(PATIENCE).until(() -> effects("a").size() == 2);
        assertThat(effects("a")).containsExactly("a1", "a2");
        assertThat(inbox.deadLetters().list()).isEmpty();
    }

    @Test
    void accepting_gaps_handles_at_once_and_counts_the_gap() {
        start(inbox().onGap(GapPolicy.accept()).build(), this::recordEffect);

        publish(message("a", 3, "a3"), message("a", 1, "a1 too late"));

        await().atMost(PATIENCE).until(() -> meters.counter("keel.messaging.inbox.duplicates", "consumer", consumer).count() == 1);
        assertThat(effects("a")).containsExactly("a3");
        assertThat(meters.counter("keel.messaging.inbox.gaps", "consumer", consumer).count()).isEqualTo(1);
    }

    @Test
    void a_key_must_start_at_number_one_unless_new_keys_may_start_anywhere() {
        Inbox strict = inbox().onGap(GapPolicy.reject()).build();
        start(strict, this::recordEffect);
        publish(message("a", 5, "a5"));
        await().atMost(PATIENCE).until(() -> strict.deadLetters().parked().size() == 1);

        String lateTopic = "late-" + run;
        Inbox lenient = Inbox.builder(db.dataSource(), "late-joiner-" + run).newKeysStartAnywhere().onGap(GapPolicy.reject()).build();
        running.add(lenient.start(transport, Set.of(lateTopic), this::recordEffect));
        publish(message(lateTopic, "z", 5, "z5"), message(lateTopic, "z", 6, "z6"));

        await().atMost(PATIENCE).until(() -> effects("z").size() == 2);
        assertThat(effects("z")).containsExactly("z5", "z6");
    }

    @Test
    void retries_a_transient_failure_with_backoff_until_the_handler_succeeds() {
        AtomicInteger attempts = new AtomicInteger();
        start(inbox().retry(QUICK_RETRIES).build(), (message, connection) -> {
            if (attempts.incrementAndGet() < 3) {
                throw new TransientException("the payment provider is busy");
            }
            recordEffect(message, connection);
        });

        publish(message("a", 1, "a1"));

        await().atMost(PATIENCE).until(() -> effects("a").size() == 1);
        assertThat(attempts).hasValue(3);
        assertThat(meters.counter("keel.messaging.inbox.failures", "consumer", consumer).count()).isEqualTo(2);
    }

    @Test
    void parks_a_message_that_keeps_failing_while_later_messages_of_its_key_wait_and_other_keys_flow() {
        Inbox inbox = inbox().retry(QUICK_RETRIES).pollInterval(Duration.ofMillis(20)).build();
        start(inbox, (message, connection) -> {
            recordEffect(message, connection);   // rolled back with the failure
            if (message.key().equals("bad")) {
                throw new TransientException("always busy for " + message.key());
            }
        });

        publish(message("bad", 1, "bad1"), message("bad", 2, "bad2"), message("good", 1, "good1"), message("good", 2, "good2"));

        await().atMost(PATIENCE).until(() -> inbox.deadLetters().parked().size() == 1);
        ParkedMessage parked = inbox.deadLetters().parked().get(0);
        assertThat(parked.key()).isEqualTo("bad");
        assertThat(parked.sequence()).hasValue(1);
        assertThat(parked.attempts()).isEqualTo(QUICK_RETRIES.maxAttempts());
        assertThat(parked.reason()).isEqualTo(ParkedMessage.Reason.FAILED);
        assertThat(parked.error()).contains("always busy for bad");
        assertThat(parked.waitingBehind()).isEqualTo(1);
        assertThat(effects("good")).containsExactly("good1", "good2");
        assertThat(effects("bad")).isEmpty();
        await().atMost(PATIENCE).until(() -> meters.get("keel.messaging.inbox.parked").tag("consumer", consumer).gauge().value() == 1);
    }

    @Test
    void a_permanent_failure_is_parked_without_retrying() {
        AtomicInteger attempts = new AtomicInteger();
        Inbox inbox = inbox().retry(QUICK_RETRIES).build();
        start(inbox, (message, connection) -> {
            attempts.incrementAndGet();
            throw new NonTransientException("order total is negative");
        });

        publish(message("a", 1, "a1"));

        await().atMost(PATIENCE).until(() -> inbox.deadLetters().parked().size() == 1);
        assertThat(attempts).hasValue(1);
        assertThat(inbox.deadLetters().parked().get(0).error()).contains("order total is negative");
    }

    @Test
    void retrying_a_parked_message_handles_it_and_then_the_ones_behind_it_in_order() {
        AtomicBoolean broken = new AtomicBoolean(true);
        Inbox inbox = inbox().retry(QUICK_RETRIES).pollInterval(Duration.ofMillis(20)).build();
        start(inbox, (message, connection) -> {
            if (broken.get()) {
                throw new NonTransientException("a bug in the handler");
            }
            recordEffect(message, connection);
        });
        publish(message("a", 1, "a1"), message("a", 2, "a2"), message("a", 3, "a3"));
        await().atMost(PATIENCE).until(() -> inbox.deadLetters().parked().size() == 1
                && inbox.deadLetters().parked().get(0).waitingBehind() == 2);

        broken.set(false);
        inbox.deadLetters().retry(inbox.deadLetters().parked().get(0).id());

        await().atMost(PATIENCE).until(() -> effects("a").size() == 3);
        assertThat(effects("a")).containsExactly("a1", "a2", "a3");
        assertThat(inbox.deadLetters().list()).isEmpty();
    }

    @Test
    void skipping_a_parked_message_lets_the_ones_behind_it_flow_without_its_effect() {
        Inbox inbox = inbox().retry(QUICK_RETRIES).pollInterval(Duration.ofMillis(20)).build();
        Envelope poisonous = message("a", 1, "a1");
        start(inbox, (message, connection) -> {
            if (message.id().equals(poisonous.id())) {
                throw new NonTransientException("cannot handle this one");
            }
            recordEffect(message, connection);
        });
        publish(poisonous, message("a", 2, "a2"));
        await().atMost(PATIENCE).until(() -> inbox.deadLetters().parked().size() == 1);

        inbox.deadLetters().skip(inbox.deadLetters().parked().get(0).id());
        await().atMost(PATIENCE).until(() -> effects("a").size() == 1);
        publish(poisonous);   // a redelivery of the skipped one

        await().atMost(PATIENCE).until(() -> meters.counter("keel.messaging.inbox.duplicates", "consumer", consumer).count() == 1);
        assertThat(effects("a")).containsExactly("a2");
        assertThat(count("SELECT count(*) FROM keel.inbox_handled WHERE consumer = '" + consumer + "' AND outcome = 'SKIPPED'"))
                .isEqualTo(1);
    }

    @Test
    void parks_an_undecodable_record_as_poison_and_its_key_waits_until_it_is_skipped() {
        Inbox inbox = inbox().pollInterval(Duration.ofMillis(20)).build();
        start(inbox, this::recordEffect);
        WireRecord garbage = new WireRecord(topic, "a", Map.of("ce_type", "shop.Nonsense".getBytes(StandardCharsets.UTF_8)),
                "{not json".getBytes(StandardCharsets.UTF_8));

        publisher.publish(List.of(garbage));
        publish(message("a", 1, "a1"), message("b", 1, "b1"));

        await().atMost(PATIENCE).until(() -> effects("b").size() == 1 && inbox.deadLetters().parked().size() == 1
                && inbox.deadLetters().parked().get(0).waitingBehind() == 1);
        ParkedMessage poison = inbox.deadLetters().parked().get(0);
        assertThat(poison.reason()).isEqualTo(ParkedMessage.Reason.POISON);
        assertThat(poison.messageId()).isEmpty();
        assertThat(poison.error()).contains("ce_id");
        assertThat(effects("a")).isEmpty();

        inbox.deadLetters().skip(poison.id());

        await().atMost(PATIENCE).until(() -> effects("a").size() == 1);
        assertThat(inbox.deadLetters().list()).isEmpty();
    }

    @Test
    void refuses_to_retry_or_skip_a_message_that_is_not_parked() {
        Inbox inbox = inbox().build();

        assertThatThrownBy(() -> inbox.deadLetters().retry(424242)).isInstanceOf(NoSuchParkedMessageException.class)
                .hasMessageContaining("424242").hasMessageContaining(consumer);
        assertThatThrownBy(() -> inbox.deadLetters().skip(424242)).isInstanceOf(NoSuchParkedMessageException.class);
    }

    @Test
    void refuses_bad_settings_with_a_clear_error() {
        assertThatThrownBy(() -> Inbox.builder(db.dataSource(), " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("consumer name");
        assertThatThrownBy(() -> inbox().schema("Bad-Schema")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema");
        assertThatThrownBy(() -> RetryPolicy.exponential(0, Duration.ofMillis(1), Duration.ofMillis(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one attempt");
        assertThatThrownBy(() -> inbox().build().start(transport, Set.of(), this::recordEffect))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one topic");
    }

    // ---- helpers

    private Inbox.Builder inbox() {
        return Inbox.builder(db.dataSource(), consumer).meterRegistry(meters);
    }

    private void start(Inbox inbox, MessageHandler handler) {
        running.add(inbox.start(transport, Set.of(topic), handler));
    }

    private Envelope message(String key, long sequence, String payload) {
        return message(topic, key, sequence, payload);
    }

    private static Envelope message(String topic, String key, long sequence, String payload) {
        byte[] json = ("\"" + payload + "\"").getBytes(StandardCharsets.UTF_8);
        return new Envelope(topic, key, "/test/orders", OptionalLong.of(sequence),
                Message.of("test.OrderEvent", json, java.time.Clock.systemUTC()));
    }

    private void publish(Envelope... envelopes) {
        publisher.publish(java.util.Arrays.stream(envelopes).map(CloudEventsBinary::encode).toList());
    }

    private void recordEffect(Envelope message, Connection connection) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO effects (consumer, key, seq, payload) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, consumer);
            insert.setString(2, message.key());
            insert.setLong(3, message.sequence().orElse(0));
            insert.setString(4, message.payload(dev.keel.core.json.JsonCodec.tolerant(), String.class));
            insert.executeUpdate();
        }
    }

    private List<String> effects() {
        return query("SELECT payload FROM effects WHERE consumer = ? ORDER BY id", consumer);
    }

    private List<String> effects(String key) {
        return query("SELECT payload FROM effects WHERE consumer = ? AND key = ? ORDER BY id", consumer, key);
    }

    private List<String> query(String sql, String... parameters) {
        try (Connection connection = db.dataSource().getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql) {
        try (Connection connection = db.dataSource().getConnection(); PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
