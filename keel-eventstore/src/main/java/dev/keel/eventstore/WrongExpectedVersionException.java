package dev.keel.eventstore;

import dev.keel.core.NonTransientException;

/**
 * An append's expected version did not match the stream: someone else appended since the writer
 * read it (or the stream exists when it should not, or not when it should). Nothing of the append was
 * written. Retrying the same append cannot help; reloading the stream, deciding again and appending
 * with the new version can (the event-sourced repository does this when asked to).
 */
public final class WrongExpectedVersionException extends NonTransientException {

    private final String streamId;
    private final ExpectedVersion expected;
    private final long actual;

    private WrongExpectedVersionException(String streamId, ExpectedVersion expected, long actual) {
        super("append to " + streamId + " expected " + expected + " but the stream is at "
                + (actual == 0 ? "no stream (version 0)" : "version " + actual));
        this.streamId = streamId;
        this.expected = expected;
        this.actual = actual;
    }

    /** Another writer got there first: the stream is at {@code actual}, not at {@code expected}. */
    public static WrongExpectedVersionException conflictingAppend(String streamId, ExpectedVersion expected, long actual) {
        return new WrongExpectedVersionException(streamId, expected, actual);
    }

    public String streamId() {
        return streamId;
    }

    public ExpectedVersion expected() {
        return expected;
    }

    /** The stream's version when the append was checked (0: no stream). */
    public long actual() {
        return actual;
    }
}
