package dev.keel.eventstore;

import java.util.UUID;

import dev.keel.core.NonTransientException;

/**
 * A request the event store refuses before touching anything: a blank stream id, an event without
 * payload, a payload that is not a JSON object, an event over the size limit, a negative expected
 * version... Nothing was written. The message says what is wrong and where; {@link #reason()} is the
 * same without the prefix.
 */
public final class InvalidRequestException extends NonTransientException {

    private final String reason;

    private InvalidRequestException(String reason) {
        super("invalid event store request: " + reason);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    public static InvalidRequestException blankStreamId() {
        return new InvalidRequestException("the stream id is blank");
    }

    public static InvalidRequestException streamIdTooLong(int length, int max) {
        return new InvalidRequestException("the stream id has " + length + " characters, at most " + max + " are allowed");
    }

    public static InvalidRequestException controlCharacterInStreamId(String streamId) {
        return new InvalidRequestException("the stream id '" + streamId.replaceAll("\\p{Cntrl}", "?")
                + "' contains control characters");
    }

    public static InvalidRequestException noEvents(String streamId) {
        return new InvalidRequestException("an append to " + streamId + " needs at least one event");
    }

    public static InvalidRequestException tooManyEvents(String streamId, int count, int max) {
        return new InvalidRequestException("an append to " + streamId + " has " + count + " events, at most " + max + " are allowed");
    }

    public static InvalidRequestException missingEvent(String streamId, int index) {
        return new InvalidRequestException("event #" + index + " of the append to " + streamId + " is missing (null)");
    }

    public static InvalidRequestException missingEventId(String type) {
        return new InvalidRequestException("event " + type + " has no event id");
    }

    public static InvalidRequestException invalidEventType(String type) {
        return new InvalidRequestException("'" + type + "' is not an event type (1-255 of letters, digits and ._$-, starting"
                + " with a letter or '_')");
    }

    public static InvalidRequestException reservedEventType(String type) {
        return new InvalidRequestException("event type " + type + " is reserved: types starting with $ are Keel's own");
    }

    public static InvalidRequestException invalidSchemaVersion(String type, int version) {
        return new InvalidRequestException("the schema version of " + type + " must be 1 or more, got " + version);
    }

    public static InvalidRequestException missingPayload(String type) {
        return new InvalidRequestException("event " + type + " has no payload");
    }

    public static InvalidRequestException missingMetadata(String type) {
        return new InvalidRequestException("event " + type + " has no metadata (use {} for none)");
    }

    public static InvalidRequestException notAJsonObject(String what, String type, String problem) {
        return new InvalidRequestException("the " + what + " of event " + type + " is not a JSON object: " + problem);
    }

    public static InvalidRequestException eventTooLarge(String type, int bytes, int max) {
        return new InvalidRequestException("event " + type + " has " + bytes + " bytes of payload and metadata, at most "
                + max + " are allowed");
    }

    public static InvalidRequestException eventIdRepeated(String streamId, UUID eventId) {
        return new InvalidRequestException("event id " + eventId + " appears twice in one append to " + streamId);
    }

    public static InvalidRequestException invalidExpectedVersion(long version) {
        return new InvalidRequestException("an expected version is 0 (no stream) or more, got " + version);
    }

    public static InvalidRequestException invalidVersion(long version) {
        return new InvalidRequestException("a stream version to read from is 1 or more, got " + version);
    }

    public static InvalidRequestException invalidLimit(long limit) {
        return new InvalidRequestException("a read limit is 1 or more, got " + limit);
    }

    public static InvalidRequestException invalidFilter(String problem) {
        return new InvalidRequestException("invalid event filter: " + problem);
    }

    public static InvalidRequestException invalidOption(String problem) {
        return new InvalidRequestException(problem);
    }
}
