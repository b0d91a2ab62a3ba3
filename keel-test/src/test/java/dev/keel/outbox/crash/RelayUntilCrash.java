package dev.keel.outbox.crash;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keel.messaging.kafka.KafkaTransport;
import dev.keel.messaging.spi.MessageTransport;
import dev.keel.messaging.spi.RecordHandler;
import dev.keel.messaging.spi.TransportPublisher;
import dev.keel.messaging.spi.TransportSubscription;
import dev.keel.messaging.spi.WireRecord;
import dev.keel.outbox.relay.OutboxRelay;
import dev.keel.outbox.relay.OutboxSource;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Runs a relay in a child JVM until it crashes:
 * <ul>
 *   <li>{@code after-ack <n>}: right after the broker acknowledged the n-th batch, before the relay
 *       writes its checkpoint;</li>
 *   <li>{@code mid-transaction <n>}: once the n-th record is in the broker's log, inside an open Kafka
 *       transaction (the relay commits a batch only after all its records are acknowledged).</li>
 * </ul>
 * Arguments: jdbc-url user bootstrap-servers schema relay-name mode n
 */
public final class RelayUntilCrash {

    private RelayUntilCrash() {
    }

    public static void main(String[] args) throws Exception {
        String jdbcUrl = args[0];
        String user = args[1];
        String bootstrap = args[2];
        String schema = args[3];
        String relayName = args[4];
        String mode = args[5];
        int n = Integer.parseInt(args[6]);

        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setMaximumPoolSize(4);
        HikariDataSource dataSource = new HikariDataSource(config);
        KafkaTransport.Builder kafka = KafkaTransport.builder(bootstrap).topicPartitions(3);
        MessageTransport transport;
        if (mode.equals("mid-transaction")) {
            HaltingInterceptor.haltAtRecord = n;
            transport = kafka.producerProperty(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, HaltingInterceptor.class.getName()).build();
        } else if (mode.equals("after-ack")) {
            transport = new HaltAfterAck(kafka.build(), n);
        } else {
            throw new IllegalArgumentException("unknown crash mode " + mode);
        }
        OutboxRelay.builder(dataSource, transport, OutboxSource.of(schema))
                .name(relayName)
                .batchSize(4)
                .leaseDuration(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(100))
                .withoutMigration()
                .start();
        System.out.println("relay started");
        new CountDownLatch(1).await();
    }

    /** Halts right after the n-th publish was acknowledged. */
    private record HaltAfterAck(MessageTransport delegate, int haltAfter) implements MessageTransport {
        private static int publishes;

        @Override
        public TransportPublisher openPublisher(String fencingId) {
            TransportPublisher real = delegate.openPublisher(fencingId);
            return new TransportPublisher() {
                @Override
                public void publish(List<WireRecord> records) {
                    real.publish(records);
                    if (++publishes == haltAfter) {
                        ChildJvm.halt("after the broker acknowledged batch " + publishes + ", before the checkpoint");
                    }
                }

                @Override
                public void close() {
                    real.close();
                }
            };
        }

        @Override
        public TransportSubscription subscribe(String group, Set<String> topics, RecordHandler handler) {
            return delegate.subscribe(group, topics, handler);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
