package dev.keel.messaging.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import dev.keel.messaging.spi.ReceivedRecord;
import dev.keel.messaging.spi.RecordHandler;
import dev.keel.messaging.spi.TransportSubscription;
import dev.keel.messaging.spi.WireRecord;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer of a group on its own thread. Records are handled one at a time in partition order;
 * the offset after a handled record is committed after each poll (and synchronously when partitions
 * are revoked or the subscription closes). A handler failure seeks the partition back to the failed
 * record and pauses it for a growing backoff, so nothing after it in that partition runs first.
 */
final class KafkaSubscription implements TransportSubscription {

    private static final Logger log = LoggerFactory.getLogger(KafkaSubscription.class);

    private final KafkaTransport transport;
    private final String group;
    private final Set<String> topics;
    private final RecordHandler handler;
    private final Map<String, Object> properties;
    private final Thread thread;
    private final Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
    private final Map<TopicPartition, Long> pausedUntil = new HashMap<>();
    private final Map<TopicPartition, Integer> failures = new HashMap<>();
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    KafkaSubscription(KafkaTransport transport, String group, Set<String> topics, RecordHandler handler, Map<String, Object> properties) {
        this.transport = transport;
        this.group = group;
        this.topics = topics;
        this.handler = handler;
        this.properties = properties;
        this.thread = Thread.ofPlatform().daemon().name("keel-kafka-" + group).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    @Override
    public String group() {
        return group;
    }

    private void run() {
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(properties)) {
            consumer = kafka;
            kafka.subscribe(topics, new Rebalance(kafka));
            while (running) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = kafka.poll(transport.settings().pollTimeout());
                } catch (WakeupException e) {
                    break;
                }
                for (TopicPartition partition : records.partitions()) {
                    handlePartition(kafka, partition, records.records(partition));
                    if (!running) {
                        break;
                    }
                }
                commit(kafka, false);
                resumeDue(kafka);
            }
            commit(kafka, true);
        } catch (WakeupException e) {
            log.debug("subscription {} woken up while closing", group);
        } catch (KafkaException e) {
            if (running) {
                log.error("subscription {} to {} stopped: {}", group, topics, e.toString(), e);
            }
        } finally {
            consumer = null;
        }
    }

    private void handlePartition(KafkaConsumer<byte[], byte[]> kafka, TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (!running) {
                kafka.seek(partition, record.offset());
                return;
            }
            try {
                handler.handle(received(record));
                handled.put(partition, new OffsetAndMetadata(record.offset() + 1));
                failures.remove(partition);
            } catch (Exception e) {
                int failed = failures.merge(partition, 1, Integer::sum);
                long backoff = backoffMillis(failed);
                log.warn("handling {}/{}@{} in group {} failed (attempt {}), retrying in {} ms: {}", record.topic(),
                        record.partition(), record.offset(), group, failed, backoff, e.toString());
                kafka.seek(partition, record.offset());
                kafka.pause(List.of(partition));
                pausedUntil.put(partition, System.nanoTime() + backoff * 1_000_000);
                return;
            }
        }
    }

    private long backoffMillis(int failures) {
        long initial = transport.settings().retryBackoff().toMillis();
        long max = transport.settings().maxRetryBackoff().toMillis();
        long exponential = initial << Math.min(failures - 1, 20);
        long capped = Math.min(max, exponential);
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }

    private void resumeDue(KafkaConsumer<byte[], byte[]> kafka) {
        if (pausedUntil.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        var due = pausedUntil.entrySet().stream().filter(entry -> entry.getValue() - now <= 0).map(Map.Entry::getKey).toList();
        if (!due.isEmpty()) {
            due.forEach(pausedUntil::remove);
            kafka.resume(due.stream().filter(kafka.assignment()::contains).toList());
        }
    }

    private void commit(KafkaConsumer<byte[], byte[]> kafka, boolean sync) {
        if (handled.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(handled);
        handled.clear();
        try {
            if (sync) {
                try {
                    kafka.commitSync(offsets);
                } catch (WakeupException e) {
                    // close() woke the consumer while it was not polling; the commit itself is still wanted
                    kafka.commitSync(offsets);
                }
            } else {
                kafka.commitAsync(offsets, (committed, error) -> {
                    if (error != null) {
                        // a later commit covers these offsets; at worst the records come again and the inbox drops them
                        log.debug("async offset commit for group {} failed: {}", group, error.toString());
                    }
                });
            }
        } catch (KafkaException e) {
            log.warn("committing offsets of group {} failed; the records will be delivered again: {}", group, e.toString());
        }
    }

    private ReceivedRecord received(ConsumerRecord<byte[], byte[]> record) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? new byte[0] : header.value());
        }
        String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        byte[] value = record.value() == null ? new byte[0] : record.value();
        return new ReceivedRecord(new WireRecord(record.topic(), key, headers, value), record.partition(), record.offset(),
                Instant.ofEpochMilli(Math.max(0, record.timestamp())));
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> kafka;

        Rebalance(KafkaConsumer<byte[], byte[]> kafka) {
            this.kafka = kafka;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = handled.remove(partition);
                if (offset != null) {
                    offsets.put(partition, offset);
                }
                pausedUntil.remove(partition);
                failures.remove(partition);
            }
            if (!offsets.isEmpty()) {
                try {
                    kafka.commitSync(offsets);
                } catch (KafkaException e) {
                    log.warn("committing offsets of revoked partitions of group {} failed: {}", group, e.toString());
                }
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // nothing to prepare: positions come from the group's committed offsets
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // another member owns them now; what we handled but did not commit comes again, and the inbox drops it
            for (TopicPartition partition : partitions) {
                handled.remove(partition);
                pausedUntil.remove(partition);
                failures.remove(partition);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null && Thread.currentThread() != thread) {
            current.wakeup();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        transport.forget(this);
    }

    @Override
    public String toString() {
        return "KafkaSubscription[" + group + " " + topics + "]";
    }
}
