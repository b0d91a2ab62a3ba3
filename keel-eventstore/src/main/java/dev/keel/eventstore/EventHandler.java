package dev.keel.eventstore;

/**
 * Receives a subscription's events, one at a time, in log order, on the subscription's own thread.
 * Throwing a transient failure ({@link dev.keel.core.TransientException}, a lost connection...) gets
 * the same event again after a backoff; any other failure stops the subscription (state
 * {@link Subscription.State#FAILED}) without moving its checkpoint past the failed event.
 */
@FunctionalInterface
public interface EventHandler {

    void handle(RecordedEvent event) throws Exception;
}
