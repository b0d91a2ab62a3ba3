package dev.keel.outbox.crash;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keel.messaging.inbox.Inbox;
import dev.keel.messaging.kafka.KafkaTransport;

/**
 * Runs an inbox consumer in a child JVM that crashes after its handler wrote the effect of the n-th
 * message, before the inbox's transaction commits.
 * Arguments: jdbc-url user bootstrap-servers inbox-schema consumer topic ledger-table group-instance-id n
 */
public final class InboxUntilCrash {

    private InboxUntilCrash() {
    }

    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setUsername(args[1]);
        config.setMaximumPoolSize(4);
        HikariDataSource dataSource = new HikariDataSource(config);
        String ledger = args[6];
        int haltAt = Integer.parseInt(args[8]);
        KafkaTransport transport = consumerTransport(args[2], args[7]);
        AtomicInteger handled = new AtomicInteger();
        Inbox.builder(dataSource, args[4]).schema(args[3]).withoutMigration().build()
                .start(transport, Set.of(args[5]), (message, connection) -> {
                    Ledger.record(connection, ledger, message);
                    if (handled.incrementAndGet() == haltAt) {
                        ChildJvm.halt("after the handler's effect for " + message + ", before the commit");
                    }
                });
        System.out.println("consumer started");
        new CountDownLatch(1).await();
    }

    /** A Kafka transport whose consumers are static group members, so a restarted one takes over at once. */
    static KafkaTransport consumerTransport(String bootstrap, String groupInstanceId) {
        return KafkaTransport.builder(bootstrap).topicPartitions(3)
                .consumerProperty("group.instance.id", groupInstanceId)
                .consumerProperty("session.timeout.ms", (int) Duration.ofSeconds(10).toMillis())
                .build();
    }
}
