package dev.keel.outbox;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A Kafka producer interceptor that stops the sending thread in the middle of a transaction: once it
 * has let {@code passBeforeHolding} records through, it holds the next send until released. Records
 * already sent sit in the broker's log as part of the open transaction.
 */
public final class HoldingInterceptor implements ProducerInterceptor<byte[], byte[]> {

    static volatile int passBeforeHolding = Integer.MAX_VALUE;
    static final AtomicInteger sent = new AtomicInteger();
    static volatile CountDownLatch holding = new CountDownLatch(1);
    static volatile CountDownLatch release = new CountDownLatch(1);

    static void arm(int pass) {
        sent.set(0);
        holding = new CountDownLatch(1);
        release = new CountDownLatch(1);
        passBeforeHolding = pass;
    }

    @Override
    public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
        if (sent.getAndIncrement() == passBeforeHolding) {
            holding.countDown();
            try {
                release.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
