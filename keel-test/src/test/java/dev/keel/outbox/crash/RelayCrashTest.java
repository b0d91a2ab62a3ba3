package dev.keel.outbox.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.keel.messaging.inbox.Inbox;
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
 * A relay crashes (its JVM halts) at the worst moments; another relay takes its partition over. The
 * consumer's ledger must end up with every message's effect exactly once, in each key's order.
 */
@WithInfrastructure
class RelayCrashTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final int KEYS = 3;
    private static final int PER_KEY = 10;

    private final TestDatabase db;
    private final TestKafka kafka;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String schema = "crash_" + run;
    private final String topic = "crash-orders-" + run;
    private final String relayName = "crash-relay-" + run;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private Ledger ledger;

    RelayCrashTest(TestDatabase db, TestKafka kafka) {
        this.db = db;
        this.kafka = kafka;
    }

    @BeforeEach
    void backlogAndConsumer() {
        OutboxWriter.migrate(db.dataSource(), schema);
        OutboxRelay.migrate(db.dataSource(), schema);
        Inbox.migrate(db.dataSource(), schema);
        ledger = new Ledger(db.dataSource(), schema + ".ledger");
        ledger.create();
        OutboxWriter writer = OutboxWriter.builder(schema).route("Order", topic).build();
        CrashFixtures.writeBacklog(db.dataSource(), writer, KEYS, PER_KEY);
        KafkaTransport consumerSide = closing(KafkaTransport.builder(kafka.bootstrapServers()).topicPartitions(3).build());
        closing(Inbox.builder(db.dataSource(), "ledger-" + run).schema(schema).meterRegistry(meters).build()
                .start(consumerSide, Set.of(topic), (message, connection) -> Ledger.record(connection, schema + ".ledger", message)));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    @Test
    void a_relay_that_crashes_between_the_broker_ack_and_its_checkpoint_loses_nothing_and_doubles_no_effect() {
        ChildJvm.start(RelayUntilCrash.class, db.jdbcUrl(), db.user(), kafka.bootstrapServers(), schema, relayName, "after-ack", "3")
                .awaitHalt();
        long checkpointed = published();
        assertThat(checkpointed).as("three batches of four acknowledged, the third not checkpointed").isLessThanOrEqualTo(8);

        takeOver();

        await().atMost(PATIENCE).until(() -> ledger.effects() == KEYS * PER_KEY);
        assertThat(ledger.duplicates()).isZero();
        assertThat(ledger.sequencesByKey()).isEqualTo(Ledger.inOrder(KEYS, PER_KEY));
        assertThat(duplicatesDropped()).as("what was acknowledged but not checkpointed went out twice; the inbox dropped the copies")
                .isEqualTo(12 - checkpointed);
    }

    @Test
    void a_relay_that_dies_inside_a_kafka_transaction_is_taken_over_without_a_duplicate_or_a_gap() {
        ChildJvm.start(RelayUntilCrash.class, db.jdbcUrl(), db.user(), kafka.bootstrapServers(), schema, relayName, "mid-transaction", "6")
                .awaitHalt();
        long checkpointed = published();
        assertThat(checkpointed).as("at most the first batch checkpointed; the second died half-way").isLessThanOrEqualTo(4);

        takeOver();

        await().atMost(PATIENCE).until(() -> ledger.effects() == KEYS * PER_KEY);
        assertThat(ledger.duplicates()).isZero();
        assertThat(ledger.sequencesByKey()).isEqualTo(Ledger.inOrder(KEYS, PER_KEY));
        assertThat(duplicatesDropped())
                .as("only the committed first batch can come twice: the dead relay's open transaction was aborted, never seen")
                .isEqualTo(4 - checkpointed);
    }

    private void takeOver() {
        KafkaTransport transport = closing(KafkaTransport.builder(kafka.bootstrapServers()).topicPartitions(3).build());
        closing(OutboxRelay.builder(db.dataSource(), transport, OutboxSource.of(schema)).name(relayName).batchSize(4)
                .leaseDuration(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100)).start());
    }

    private long published() {
        return CrashFixtures.single(db.dataSource(), "SELECT published FROM " + schema + ".relay_partitions WHERE relay = '" + relayName + "'");
    }

    private double duplicatesDropped() {
        return meters.counter("keel.messaging.inbox.duplicates", "consumer", "ledger-" + run).count();
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeAfter.add(closeable);
        return closeable;
    }
}
