package dev.keel.messaging.kafka;

import dev.keel.core.FailureClassifier;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * What Kafka's exceptions say about retrying: Kafka marks the ones that may succeed on retry as
 * {@link RetriableException} (timeouts, leaders moving, not enough replicas); fencing, authorization,
 * oversized records and serialization never will. Combine with Keel's defaults:
 * {@code FailureClassifier.defaults().orElse(KafkaFailures.classifier())}, or use {@link #withDefaults()}.
 */
public final class KafkaFailures implements FailureClassifier {

    private static final KafkaFailures INSTANCE = new KafkaFailures();
    private static final FailureClassifier WITH_DEFAULTS = FailureClassifier.defaults().orElse(INSTANCE);

    private KafkaFailures() {
    }

    /** Kafka's exceptions only. */
    public static FailureClassifier classifier() {
        return INSTANCE;
    }

    /** Keel's defaults, then Kafka's exceptions. */
    public static FailureClassifier withDefaults() {
        return WITH_DEFAULTS;
    }

    @Override
    public Verdict classifyOne(Throwable failure) {
        if (failure instanceof ProducerFencedException || failure instanceof InvalidProducerEpochException
                || failure instanceof AuthorizationException || failure instanceof AuthenticationException
                || failure instanceof RecordTooLargeException || failure instanceof SerializationException
                || failure instanceof InvalidTopicException || failure instanceof UnsupportedVersionException) {
            return Verdict.NON_TRANSIENT;
        }
        if (failure instanceof RetriableException || failure instanceof TransactionAbortedException) {
            return Verdict.TRANSIENT;
        }
        // other client errors: the cause decides, and a bare one counts as permanent
        return Verdict.UNKNOWN;
    }
}
