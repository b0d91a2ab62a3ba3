package dev.keel.test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.keel.embedded.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The shared Kafka broker, seen through a test class's own topic namespace: {@link #topic(String)}
 * turns a logical name ({@code orders}) into one no other test class uses and creates it. Topics are
 * deleted after the class.
 */
public final class TestKafka implements AutoCloseable {

    private final EmbeddedKafka kafka;
    private final String namespace;
    private final Map<String, String> topics = new HashMap<>();

    private TestKafka(EmbeddedKafka kafka, String namespace) {
        this.kafka = kafka;
        this.namespace = namespace;
    }

    static TestKafka create(EmbeddedKafka kafka, String hint) {
        return new TestKafka(kafka, SharedInfrastructure.uniqueName(hint).replace('_', '-'));
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** This class's topic for a logical name, created with 4 partitions on first use. */
    public String topic(String logicalName) {
        return topic(logicalName, 4);
    }

    /** This class's topic for a logical name, created with the given partitions on first use. */
    public synchronized String topic(String logicalName, int partitions) {
        String existing = topics.get(logicalName);
        if (existing != null) {
            return existing;
        }
        String name = namespace + "." + logicalName;
        kafka.createTopics(partitions, List.of(name));
        topics.put(logicalName, name);
        return name;
    }

    /** A consumer group id unique to this class. */
    public String group(String logicalName) {
        return namespace + "." + logicalName;
    }

    /** Producer properties for this broker with byte-array keys and values, acks=all, idempotent. */
    public Map<String, Object> producerProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return properties;
    }

    /** Producer properties with string keys and values. */
    public Map<String, Object> stringProducerProperties() {
        Map<String, Object> properties = producerProperties();
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return properties;
    }

    /** Consumer properties for a group of this class, from the earliest offset, manual commits. */
    public Map<String, Object> consumerProperties(String logicalGroup) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group(logicalGroup));
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return properties;
    }

    /** Consumer properties with string keys and values. */
    public Map<String, Object> stringConsumerProperties(String logicalGroup) {
        Map<String, Object> properties = consumerProperties(logicalGroup);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return properties;
    }

    /** The broker itself, for tests that manage topics by hand. */
    public EmbeddedKafka broker() {
        return kafka;
    }

    @Override
    public synchronized void close() {
        if (!topics.isEmpty()) {
            kafka.deleteTopics(new ArrayList<>(topics.values()));
            topics.clear();
        }
    }
}
