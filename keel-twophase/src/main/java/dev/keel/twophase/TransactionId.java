package dev.keel.twophase;

import java.util.Objects;
import java.util.UUID;

import dev.keel.core.Uuids;

/**
 * The identity of one two-phase transaction: the coordinator that runs it and a time-ordered UUID.
 * Each participant's prepared transaction is named by a global transaction id derived from it
 * ({@link #gid(String)}), so that recovery finds its own in-doubt transactions in
 * {@code pg_prepared_xacts} and knows which decision applies to them.
 */
public record TransactionId(String coordinator, UUID value) {

    public TransactionId {
        Names.check(coordinator, "coordinator id");
        Objects.requireNonNull(value, "value");
    }

    static TransactionId next(String coordinator) {
        return new TransactionId(coordinator, Uuids.timeOrdered());
    }

    /**
     * The global transaction id of this transaction's branch on one participant:
     * {@code keel2pc:<coordinator>:<uuid>:<participant>}. It names the participant because two
     * participants may be databases of one server, where a global transaction id must be unique.
     */
    public String gid(String participant) {
        return Gid.PREFIX + coordinator + ":" + value + ":" + Names.check(participant, "participant name");
    }

    @Override
    public String toString() {
        return coordinator + ":" + value;
    }
}
