package dev.keel.messaging.inbox;

import java.time.Duration;
import java.util.Objects;

/**
 * What the inbox does with a message whose key sequence is ahead of the next expected one (an
 * earlier message of its key is missing, or arrives later).
 */
public sealed interface GapPolicy {

    /**
     * Keep the message aside until the missing ones arrive, then handle all in order. If they have not
     * arrived within {@code atMost}, park it (a dead letter an operator can retry, accepting the gap,
     * or skip). Later messages of the key wait behind it meanwhile.
     */
    static GapPolicy holdBack(Duration atMost) {
        return new HoldBack(atMost);
    }

    /** Park the message at once, with the gap as its error; later messages of the key wait behind it. */
    static GapPolicy reject() {
        return new Reject();
    }

    /** Handle it anyway and move on (the gap is only counted): for consumers that want the latest state. */
    static GapPolicy accept() {
        return new Accept();
    }

    record HoldBack(Duration atMost) implements GapPolicy {
        public HoldBack {
            Objects.requireNonNull(atMost, "atMost");
            if (atMost.isNegative()) {
                throw new IllegalArgumentException("a hold-back time is not negative, got " + atMost);
            }
        }
    }

    record Reject() implements GapPolicy {
    }

    record Accept() implements GapPolicy {
    }
}
