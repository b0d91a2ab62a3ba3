package dev.keel.shop.platform.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.json.JsonCodec;
import dev.keel.messaging.CloudEventsBinary;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/**
 * What a topic holds, read the way Keel's consumers read it ({@code read_committed}: records of
 * aborted Kafka transactions are never seen), from the beginning of every partition, keeping the
 * records of the keys a test is about. Records accumulate across calls.
 *
 * <pre>{@code
 * try (TopicReader reader = TopicReader.of(kafka.bootstrapServers(), CustomerTopics.EVENTS, Set.of(id))) {
 *     List<TopicReader.Record> events = reader.await(records -> records.size() == 2);
 * }
 * }</pre>
 */
public final class TopicReader implements AutoCloseable {

    private static final JsonCodec JSON = JsonCodec.tolerant();

    /** One record: where it is, its key, its headers as text and its value. */
    public record Record(String topic, int partition, long offset, String key, Map<String, String> headers, String value) {

        public String header(String name) {
            String value = headers.get(name);
            if (value == null) {
                throw new AssertionError("record " + topic + "/" + partition + "@" + offset + " has no header " + name + ": " + headers);
            }
            return value;
        }

        /** {@code ce_type} */
        public String type() {
            return header(CloudEventsBinary.TYPE);
        }

        /** {@code ce_id} */
        public String id() {
            return header(CloudEventsBinary.ID);
        }

        /** {@code ce_sequence}, the record's number within its key */
        public long sequence() {
            return Long.parseLong(header(CloudEventsBinary.SEQUENCE));
        }

        public JsonNode json() {
            return JSON.readTree(value);
        }
    }

    private final KafkaConsumer<String, String> consumer;
    private final Set<String> keys;
    private final List<Record> records = new ArrayList<>();

    private TopicReader(KafkaConsumer<String, String> consumer, Set<String> keys) {
        this.consumer = consumer;
        this.keys = keys;
    }

    /** Reads the records of {@code keys} on {@code topic}. */
    public static TopicReader of(String bootstrapServers, String topic, Collection<String> keys) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties);
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return new TopicReader(consumer, Set.copyOf(keys));
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /** Reads until the records of the keys read so far satisfy {@code condition} (within 60 s), and returns them. */
    public List<Record> await(Predicate<List<Record>> condition) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    poll();
                    return condition.test(List.copyOf(records));
                });
        return List.copyOf(records);
    }

    /** Reads until at least {@code count} records of the keys arrived, and returns all read so far. */
    public List<Record> awaitAtLeast(int count) {
        return await(read -> read.size() >= count);
    }

    /** The records of one key read so far, in their order on the topic. */
    public List<Record> of(String key) {
        return records.stream().filter(record -> record.key().equals(key)).toList();
    }

    private void poll() {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
            if (record.key() != null && keys.contains(record.key())) {
                Map<String, String> headers = new LinkedHashMap<>();
                for (Header header : record.headers()) {
                    headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
                }
                records.add(new Record(record.topic(), record.partition(), record.offset(), record.key(), headers, record.value()));
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
