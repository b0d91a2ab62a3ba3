package dev.keel.eventstore;

/**
 * Which events of one stream to read: forwards from a version (inclusive) or backwards from a version
 * (inclusive, {@link #END} for the last one), at most {@code limit} of them.
 *
 * <pre>{@code
 * store.readStream("order-7", StreamRead.forwards());                  // the whole stream
 * store.readStream("order-7", StreamRead.forwardsFrom(11).limit(10));  // versions 11..20
 * store.readStream("order-7", StreamRead.backwards().limit(1));        // the last event
 * }</pre>
 */
public record StreamRead(Direction direction, long fromVersion, int limit) {

    /** The newest version of a stream, whatever it is: where backward reads usually start. */
    public static final long END = Long.MAX_VALUE;

    public enum Direction { FORWARDS, BACKWARDS }

    public StreamRead {
        if (direction == null) {
            throw InvalidRequestException.invalidOption("a stream read needs a direction");
        }
        if (fromVersion < 1) {
            throw InvalidRequestException.invalidVersion(fromVersion);
        }
        if (limit < 1) {
            throw InvalidRequestException.invalidLimit(limit);
        }
    }

    /** The whole stream, oldest first. */
    public static StreamRead forwards() {
        return new StreamRead(Direction.FORWARDS, 1, Integer.MAX_VALUE);
    }

    /** From {@code version} on, oldest first. */
    public static StreamRead forwardsFrom(long version) {
        return new StreamRead(Direction.FORWARDS, version, Integer.MAX_VALUE);
    }

    /** The whole stream, newest first. */
    public static StreamRead backwards() {
        return new StreamRead(Direction.BACKWARDS, END, Integer.MAX_VALUE);
    }

    /** From {@code version} down, newest first. */
    public static StreamRead backwardsFrom(long version) {
        return new StreamRead(Direction.BACKWARDS, version, Integer.MAX_VALUE);
    }

    /** The same read, but at most {@code maxEvents} events. */
    public StreamRead limit(int maxEvents) {
        return new StreamRead(direction, fromVersion, maxEvents);
    }

    public boolean isForwards() {
        return direction == Direction.FORWARDS;
    }
}
