package dev.keel.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

    @Test
    void keeps_topics_and_messages_across_a_restart_in_the_same_directory(@TempDir Path directory) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDirectory(directory).start()) {
            kafka.createTopics(2, List.of("kept"));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producer(kafka))) {
                producer.send(new ProducerRecord<>("kept", "k", "before restart")).get();
            }
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDirectory(directory).start()) {
            assertThat(readAll(kafka, "kept", 1)).containsExactly("before restart");
        }
    }

    @Test
    void an_idempotent_producer_can_write_at_once_to_a_topic_just_created() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            for (int round = 0; round < 5; round++) {
                String topic = "fresh-" + round;
                kafka.createTopics(8, List.of(topic));
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(producer(kafka))) {
                    List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
                    for (int i = 0; i < 2_000; i++) {
                        sends.add(producer.send(new ProducerRecord<>(topic, "key-" + (i % 100), "m" + i)));
                    }
                    producer.flush();
                    for (var send : sends) {
                        send.get();
                    }
                }
            }
        }
    }

    @Test
    void creating_topics_again_is_harmless_and_they_have_the_partitions_asked_for() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(3, List.of("orders"));
            kafka.createTopics(3, List.of("orders"));

            try (Admin admin = Admin.create(kafka.clientProperties())) {
                var description = admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders");
                assertThat(description.partitions()).hasSize(3);
            }
            kafka.deleteTopics(List.of("orders", "never-existed"));
        }
    }

    private static Map<String, Object> producer(EmbeddedKafka kafka) {
        Map<String, Object> properties = new HashMap<>(kafka.clientProperties());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return properties;
    }

    private static List<String> readAll(EmbeddedKafka kafka, String topic, int expected) {
        Map<String, Object> properties = new HashMap<>(kafka.clientProperties());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "reader");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
        }
        return values;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
