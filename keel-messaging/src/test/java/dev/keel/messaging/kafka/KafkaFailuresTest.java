package dev.keel.messaging.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketTimeoutException;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class KafkaFailuresTest {

    private final dev.keel.core.FailureClassifier classifier = KafkaFailures.withDefaults();

    @Test
    void kafkas_retriable_exceptions_are_transient() {
        assertThat(classifier.isTransient(new TimeoutException("no ack in time"))).isTrue();
        assertThat(classifier.isTransient(new NotEnoughReplicasException("one replica down"))).isTrue();
        assertThat(classifier.isTransient(new KafkaException("wrapped", new NotEnoughReplicasException("down")))).isTrue();
    }

    @Test
    void fencing_authorization_and_oversized_records_are_not() {
        assertThat(classifier.isTransient(new ProducerFencedException("another relay took over"))).isFalse();
        assertThat(classifier.isTransient(new TopicAuthorizationException("no ACL"))).isFalse();
        assertThat(classifier.isTransient(new RecordTooLargeException("2 MB"))).isFalse();
    }

    @Test
    void keeps_keels_defaults_for_everything_else() {
        assertThat(classifier.isTransient(new RuntimeException(new SocketTimeoutException()))).isTrue();
        assertThat(classifier.isTransient(new KafkaException("unknown"))).isFalse();
    }
}
