package dev.keel.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@WithInfrastructure
class KafkaRoundTripTest {

    @Test
    void produces_and_consumes_through_a_real_broker_in_key_order(TestKafka kafka) throws Exception {
        String topic = kafka.topic("greetings", 3);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.stringProducerProperties())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + (i % 2), "message-" + i)).get();
            }
        }

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(kafka.stringConsumerProperties("reader"))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < 10 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
            consumer.commitSync();
        }

        assertThat(received).hasSize(10);
        assertThat(received.stream().filter(r -> r.key().equals("key-0")).map(ConsumerRecord::value))
                .containsExactly("message-0", "message-2", "message-4", "message-6", "message-8");
        assertThat(received.stream().filter(r -> r.key().equals("key-1")).map(ConsumerRecord::value))
                .containsExactly("message-1", "message-3", "message-5", "message-7", "message-9");
    }
}
