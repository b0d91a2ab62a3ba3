package dev.keel.outbox.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.keel.messaging.inbox.Inbox;
import dev.keel.messaging.inbox.InboxSubscription;
import dev.keel.messaging.kafka.KafkaTransport;
import dev.keel.outbox.OutboxWriter;
import dev.keel.outbox.relay.OutboxRelay;
import dev.keel.outbox.relay.OutboxSource;
import dev.keel.test.TestDatabase;
import dev.keel.test.TestKafka;
import dev.keel.test.WithInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Outbox → relay → Kafka → inbox, with the consumer crashing after its handler's effect and before
 * the commit, and the whole topic delivered again from offset 0.
 */
@WithInfrastructure
class InboxCrashTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final int KEYS = 3;
    private static final int PER_KEY = 10;

    private final TestDatabase db;
    private final TestKafka kafka;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String schema = "inbox_crash_" + run;
    private final String topic = "inbox-crash-" + run;
    private final String consumer = "billing-" + run;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private Ledger ledger;

    InboxCrashTest(TestDatabase db, TestKafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    @BeforeEach
    void publishedBacklog() {
        OutboxWriter.migrate(db.dataSource(), schema);
        Inbox.migrate(db.dataSource(), schema);
        ledger = new Ledger(db.dataSource(), schema + ".ledger");
        ledger.create();
        CrashFixtures.writeBacklog(db.dataSource(), OutboxWriter.builder(schema).route("Order", topic).build(), KEYS, PER_KEY);
        KafkaTransport relayTransport = closing(KafkaTransport.builder(kafka.bootstrapServers()).topicPartitions(3).build());
        OutboxRelay relay = closing(OutboxRelay.builder(db.dataSource(), relayTransport, OutboxSource.of(schema)).batchSize(7).start());
        await().atMost(PATIENCE).until(() -> relay.backlog() == 0);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    @Test
    void a_consumer_that_crashes_between_its_handler_and_the_commit_has_every_effect_once_after_a_restart() {
        String member = "member-" + run;
        ChildJvm.start(InboxUntilCrash.class, db.jdbcUrl(), db.user(), kafka.bootstrapServers(), schema, consumer, topic,
                schema + ".ledger", member, "12").awaitHalt();
        assertThat(ledger.effects()).as("eleven effects committed; the twelfth rolled back with the crash").isEqualTo(11);

        KafkaTransport transport = closing(InboxUntilCrash.consumerTransport(kafka.bootstrapServers(), member));
        closing(inbox().start(transport, Set.of(topic), (message, connection) -> Ledger.record(connection, schema + ".ledger", message)));

        await().atMost(PATIENCE).until(() -> ledger.effects() == KEYS * PER_KEY);
        assertThat(ledger.duplicates()).isZero();
        assertThat(ledger.sequencesByKey()).isEqualTo(Ledger.inOrder(KEYS, PER_KEY));
    }

    @Test
    void redelivering_the_whole_topic_from_offset_zero_changes_nothing() {
        KafkaTransport transport = closing(KafkaTransport.builder(kafka.bootstrapServers()).topicPartitions(3).build());
        Inbox inbox = inbox();
        InboxSubscription first = inbox.start(transport, Set.of(topic), (message, connection) -> Ledger.record(connection, schema + ".ledger", message));
        await().atMost(PATIENCE).until(() -> ledger.effects() == KEYS * PER_KEY);
        first.close();
        Map<String, java.util.List<Long>> before = ledger.sequencesByKey();

        closing(inbox.start(transport, consumer + "-replay-from-zero", Set.of(topic),
                (message, connection) -> Ledger.record(connection, schema + ".ledger", message)));

        await().atMost(PATIENCE).until(() -> duplicatesDropped() == KEYS * PER_KEY);
        assertThat(ledger.effects()).isEqualTo(KEYS * PER_KEY);
        assertThat(ledger.sequencesByKey()).isEqualTo(before).isEqualTo(Ledger.inOrder(KEYS, PER_KEY));
    }

    private Inbox inbox() {
        return Inbox.builder(db.dataSource(), consumer).schema(schema).meterRegistry(meters).build();
    }

    private double duplicatesDropped() {
        return meters.counter("keel.messaging.inbox.duplicates", "consumer", consumer).count();
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeAfter.add(closeable);
        return closeable;
    }
}
