package dev.keel.twophase;

import java.util.Optional;
import java.util.UUID;

/** A global transaction id as found in {@code pg_prepared_xacts}, taken apart. */
record Gid(TransactionId transaction, String participant) {

    static final String PREFIX = "keel2pc:";

    /** What every global transaction id of one coordinator starts with. */
    static String prefixOf(String coordinator) {
        return PREFIX + coordinator + ":";
    }

    String text() {
        return transaction.gid(participant);
    }

    /** The parts of a Keel global transaction id; empty for anything else (another tool's, say). */
    static Optional<Gid> parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = text.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Gid(new TransactionId(parts[0], UUID.fromString(parts[1])), Names.check(parts[2], "participant name")));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
