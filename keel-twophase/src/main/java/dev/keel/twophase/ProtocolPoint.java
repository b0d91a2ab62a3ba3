package dev.keel.twophase;

import java.util.Objects;
import java.util.Optional;

/** A step of one transaction's protocol, and the participant it concerns if it concerns one. */
record ProtocolPoint(ProtocolStep step, TransactionId transaction, Optional<String> participant) {

    ProtocolPoint {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(participant, "participant");
    }

    boolean is(ProtocolStep expected, String name) {
        return step == expected && participant.filter(name::equals).isPresent();
    }
}
