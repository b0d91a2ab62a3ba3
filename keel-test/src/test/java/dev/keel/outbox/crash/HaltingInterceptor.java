package dev.keel.outbox.crash;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Halts the JVM when the broker has acknowledged the producer's n-th record. The relay commits its
 * Kafka transaction only after every record of the batch is acknowledged, so halting here leaves a
 * transaction open whose records are already in the broker's log.
 */
public final class HaltingInterceptor implements ProducerInterceptor<byte[], byte[]> {

    static volatile int haltAtRecord = Integer.MAX_VALUE;
    private static final AtomicInteger acknowledged = new AtomicInteger();

    @Override
    public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        if (exception == null && acknowledged.incrementAndGet() == haltAtRecord) {
            ChildJvm.halt("after record " + haltAtRecord + " reached the broker, inside an open Kafka transaction");
        }
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
