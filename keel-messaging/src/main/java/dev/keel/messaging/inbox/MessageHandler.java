package dev.keel.messaging.inbox;

import java.sql.Connection;

import dev.keel.messaging.Envelope;

/**
 * What a consumer does with a message: its effects go through {@code connection}, inside the
 * transaction in which the inbox also records the message as handled, so they commit together or
 * not at all. Do not commit, roll back or close the connection.
 *
 * <p>Throwing rolls the effects back. A {@linkplain dev.keel.core.FailureClassifier transient}
 * failure is retried with backoff; anything else, or a failure that outlasts the retries, parks the
 * message, and later messages of its key wait behind it.
 */
@FunctionalInterface
public interface MessageHandler {
    void handle(Envelope message, Connection connection) throws Exception;
}
