package dev.keel.messaging.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.keel.core.NonTransientException;
import dev.keel.core.TransientException;
import dev.keel.messaging.spi.PublisherFencedException;
import dev.keel.messaging.spi.TransportPublisher;
import dev.keel.messaging.spi.WireRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One transactional producer; a batch is one Kafka transaction. */
final class KafkaPublisher implements TransportPublisher {

    private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);

    private final KafkaTransport transport;
    private final String fencingId;
    private KafkaProducer<byte[], byte[]> producer;

    KafkaPublisher(KafkaTransport transport, String fencingId, Map<String, Object> properties) {
        this.transport = transport;
        this.fencingId = fencingId;
        KafkaProducer<byte[], byte[]> created = new KafkaProducer<>(properties);
        try {
            // fences the producer that had this transactional id and aborts its open transaction
            created.initTransactions();
        } catch (KafkaException e) {
            created.close(Duration.ZERO);
            throw translate("opening publisher " + fencingId, e);
        }
        this.producer = created;
    }

    @Override
    public synchronized void publish(List<WireRecord> records) {
        if (producer == null) {
            throw new IllegalStateException("publisher " + fencingId + " is closed");
        }
        if (records.isEmpty()) {
            return;
        }
        transport.topics().ensure(records.stream().map(WireRecord::topic).distinct().toList());
        try {
            producer.beginTransaction();
            for (WireRecord record : records) {
                RecordHeaders headers = new RecordHeaders();
                record.headers().forEach(headers::add);
                producer.send(new ProducerRecord<>(record.topic(), null, null,
                        record.key().isEmpty() ? null : record.key().getBytes(StandardCharsets.UTF_8),
                        record.value(), headers));
            }
            // flushes, and fails if any send failed; the records become visible to read_committed consumers
            producer.commitTransaction();
        } catch (KafkaException e) {
            RuntimeException failure = translate("publishing " + records.size() + " records as " + fencingId, e);
            abortAndClose();
            throw failure;
        }
    }

    private RuntimeException translate(String what, KafkaException e) {
        for (Throwable link = e; link != null; link = link.getCause()) {
            if (link instanceof ProducerFencedException || link instanceof InvalidProducerEpochException) {
                return PublisherFencedException.fencedBy(fencingId, e);
            }
        }
        String message = what + " failed: " + e.getMessage();
        return KafkaFailures.withDefaults().isTransient(e) ? new TransientException(message, e) : new NonTransientException(message, e);
    }

    private void abortAndClose() {
        try {
            producer.abortTransaction();
        } catch (KafkaException | IllegalStateException e) {
            log.debug("aborting the transaction of {} failed: {}", fencingId, e.toString());
        }
        close();
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
            transport.forget(this);
        }
    }

    @Override
    public String toString() {
        return "KafkaPublisher[" + fencingId + "]";
    }
}
