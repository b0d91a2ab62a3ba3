package dev.keel.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What two test classes each do to show they are isolated: create a table of the same name (which
 * fails if they share a database) and a topic of the same logical name, write their own name into
 * both, and find only their own name there.
 */
final class IsolationProbe {

    private IsolationProbe() {
    }

    static void writeAndFindOnlyOwnData(String owner, TestDatabase db, TestKafka kafka) throws Exception {
        db.execute("CREATE TABLE probe (owner text NOT NULL)", "INSERT INTO probe VALUES ('" + owner + "')");
        List<String> rows = new ArrayList<>();
        try (Connection connection = db.dataSource().getConnection();
             ResultSet result = connection.createStatement().executeQuery("SELECT owner FROM probe")) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(rows).containsExactly(owner);

        String topic = kafka.topic("probe", 1);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.stringProducerProperties())) {
            producer.send(new ProducerRecord<>(topic, owner, owner)).get();
        }
        List<String> messages = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(kafka.stringConsumerProperties("probe"))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (messages.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> messages.add(record.value()));
            }
            // one more poll: anything another class wrote would be here too
            consumer.poll(Duration.ofMillis(300)).forEach(record -> messages.add(record.value()));
        }
        assertThat(messages).containsExactly(owner);
    }
}
