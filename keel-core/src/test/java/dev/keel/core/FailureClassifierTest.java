package dev.keel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    private final FailureClassifier classifier = FailureClassifier.defaults();

    @Test
    void keel_exceptions_say_themselves() {
        assertThat(classifier.isTransient(new TransientException("broker restarting"))).isTrue();
        assertThat(classifier.isTransient(new NonTransientException("bad input"))).isFalse();
    }

    @Test
    void postgres_errors_are_classified_by_sqlstate() {
        assertThat(classifier.isTransient(new SQLException("serialization", "40001"))).isTrue();
        assertThat(classifier.isTransient(new SQLException("deadlock", "40P01"))).isTrue();
        assertThat(classifier.isTransient(new SQLException("connection refused", "08001"))).isTrue();
        assertThat(classifier.isTransient(new SQLException("too many connections", "53300"))).isTrue();
        assertThat(classifier.isTransient(new SQLException("unique violation", "23505"))).isFalse();
        assertThat(classifier.isTransient(new SQLException("syntax", "42601"))).isFalse();
    }

    @Test
    void looks_through_wrapping_exceptions_to_the_cause() {
        RuntimeException wrapped = new RuntimeException("outer", new IllegalStateException("middle", new SocketTimeoutException()));

        assertThat(classifier.isTransient(wrapped)).isTrue();
    }

    @Test
    void an_unknown_failure_is_not_retried() {
        assertThat(classifier.isTransient(new NullPointerException())).isFalse();
    }

    @Test
    void modules_add_what_they_know() {
        class BrokerBusy extends RuntimeException {
        }
        FailureClassifier extended = classifier.orElse(
                failure -> failure instanceof BrokerBusy ? FailureClassifier.Verdict.TRANSIENT : FailureClassifier.Verdict.UNKNOWN);

        assertThat(extended.isTransient(new BrokerBusy())).isTrue();
        assertThat(extended.isTransient(new TimeoutException())).isTrue();
        assertThat(classifier.isTransient(new BrokerBusy())).isFalse();
    }
}
