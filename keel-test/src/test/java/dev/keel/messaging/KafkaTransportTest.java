package dev.keel.messaging;

import dev.keel.messaging.kafka.KafkaTransport;
import dev.keel.messaging.spi.MessageTransport;
import dev.keel.test.TestKafka;
import dev.keel.test.WithInfrastructure;
import dev.keel.test.messaging.MessageTransportContract;

@WithInfrastructure
class KafkaTransportTest extends MessageTransportContract {

    private final TestKafka kafka;

    KafkaTransportTest(TestKafka kafka) {
        this.kafka = kafka;
    }

    @Override
    protected MessageTransport newTransport() {
        return KafkaTransport.builder(kafka.bootstrapServers()).topicPartitions(4).build();
    }
}
