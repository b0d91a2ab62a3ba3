package dev.keel.messaging.inbox;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import dev.keel.core.MessageId;

/**
 * A message the inbox could not handle and set aside, with later messages of its key waiting behind
 * it: an ordered dead letter.
 *
 * @param id            its handle for {@link DeadLetters#retry} and {@link DeadLetters#skip}
 * @param consumer      the consumer it was meant for
 * @param topic         where it came from
 * @param key           its key
 * @param messageId     its id, absent when the record could not be decoded
 * @param sequence      its key sequence, if it has one
 * @param type          its message type, if it could be read
 * @param state         {@code PARKED} (waits for an operator) or {@code RETRYING} (will be tried again)
 * @param reason        why: the handler failed, the record cannot be decoded, or a gap before it
 * @param error         the last error
 * @param attempts      how often the handler was tried
 * @param nextAttemptAt when it will be tried again, if it is retrying
 * @param parkedAt      when it was last changed
 * @param waitingBehind how many later messages of its key wait for it
 * @param where         {@code topic/partition@offset} of the record
 */
public record ParkedMessage(
        long id,
        String consumer,
        String topic,
        String key,
        Optional<MessageId> messageId,
        OptionalLong sequence,
        Optional<String> type,
        State state,
        Reason reason,
        String error,
        int attempts,
        Optional<Instant> nextAttemptAt,
        Instant parkedAt,
        int waitingBehind,
        String where) {

    public enum State { RETRYING, PARKED }

    public enum Reason {
        /** The handler threw (a permanent failure, or a transient one that outlasted the retries). */
        FAILED,
        /** The record cannot be decoded as a message. */
        POISON,
        /** Earlier messages of the key are missing. */
        GAP
    }
}
