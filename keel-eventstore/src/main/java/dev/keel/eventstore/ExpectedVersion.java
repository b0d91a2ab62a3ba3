package dev.keel.eventstore;

/**
 * What the writer believes the stream's version is, checked atomically with the append (optimistic
 * concurrency). A stream's version is the version of its last event: 1 after the first event, 0 when
 * there is no stream.
 */
public sealed interface ExpectedVersion {

    /** No check: append after whatever is there. */
    static ExpectedVersion any() {
        return Any.INSTANCE;
    }

    /** The stream must not exist yet (its version is 0). */
    static ExpectedVersion noStream() {
        return NoStream.INSTANCE;
    }

    /**
     * The stream's last event must have this version. {@code exactly(0)} is {@link #noStream()}; a
     * negative version is refused with {@link InvalidRequestException}.
     */
    static ExpectedVersion exactly(long version) {
        if (version < 0) {
            throw InvalidRequestException.invalidExpectedVersion(version);
        }
        return version == 0 ? NoStream.INSTANCE : new Exactly(version);
    }

    /** Whether a stream whose version is {@code actual} meets this expectation. */
    boolean isMetBy(long actual);

    /** Any version will do. */
    record Any() implements ExpectedVersion {
        static final Any INSTANCE = new Any();

        @Override
        public boolean isMetBy(long actual) {
            return true;
        }

        @Override
        public String toString() {
            return "any version";
        }
    }

    /** No stream yet. */
    record NoStream() implements ExpectedVersion {
        static final NoStream INSTANCE = new NoStream();

        @Override
        public boolean isMetBy(long actual) {
            return actual == 0;
        }

        @Override
        public String toString() {
            return "no stream";
        }
    }

    /** Exactly this version (1 or more). */
    record Exactly(long version) implements ExpectedVersion {
        public Exactly {
            if (version < 1) {
                throw InvalidRequestException.invalidExpectedVersion(version);
            }
        }

        @Override
        public boolean isMetBy(long actual) {
            return actual == version;
        }

        @Override
        public String toString() {
            return "version " + version;
        }
    }
}
