package dev.keel.eventstore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import org.jspecify.annotations.Nullable;

/**
 * An append that has passed every check that needs no database: a valid stream id, one to
 * {@code maxEventsPerAppend} events with distinct ids, each with a payload and metadata that are JSON
 * objects PostgreSQL can store, within the size limit. Storage engines receive only these, so a batch
 * of appends never fails because of one bad event.
 */
public final class Append {

    /** The longest stream id accepted, in characters. */
    public static final int MAX_STREAM_ID_LENGTH = 255;

    private static final JsonFactory JSON = new JsonFactory();

    private final String streamId;
    private final ExpectedVersion expected;
    private final List<EventData> events;

    private Append(String streamId, ExpectedVersion expected, List<EventData> events) {
        this.streamId = streamId;
        this.expected = expected;
        this.events = events;
    }

    /**
     * Checks an append against {@code settings}' limits.
     *
     * @throws InvalidRequestException what is wrong with it
     */
    public static Append validated(String streamId, ExpectedVersion expected, List<EventData> events, EventStoreSettings settings) {
        checkStreamId(streamId);
        if (expected == null) {
            throw InvalidRequestException.invalidOption("an append to " + streamId + " needs an expected version"
                    + " (ExpectedVersion.any() if it does not matter)");
        }
        if (events == null || events.isEmpty()) {
            throw InvalidRequestException.noEvents(streamId);
        }
        if (events.size() > settings.maxEventsPerAppend()) {
            throw InvalidRequestException.tooManyEvents(streamId, events.size(), settings.maxEventsPerAppend());
        }
        List<EventData> copy = new ArrayList<>(events.size());
        Set<UUID> ids = events.size() == 1 ? Set.of() : new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            EventData event = events.get(i);
            if (event == null) {
                throw InvalidRequestException.missingEvent(streamId, i);
            }
            if (SystemEvents.isSystemType(event.type())) {
                throw InvalidRequestException.reservedEventType(event.type());
            }
            if (events.size() > 1 && !ids.add(event.eventId())) {
                throw InvalidRequestException.eventIdRepeated(streamId, event.eventId());
            }
            checkEvent(event, settings.maxEventBytes());
            copy.add(event);
        }
        return new Append(streamId, expected, List.copyOf(copy));
    }

    /**
     * Checks a stream id: not blank, at most {@value #MAX_STREAM_ID_LENGTH} characters, no control
     * characters. Returns it.
     */
    public static String checkStreamId(@Nullable String streamId) {
        if (streamId == null || streamId.isBlank()) {
            throw InvalidRequestException.blankStreamId();
        }
        if (streamId.length() > MAX_STREAM_ID_LENGTH) {
            throw InvalidRequestException.streamIdTooLong(streamId.length(), MAX_STREAM_ID_LENGTH);
        }
        for (int i = 0; i < streamId.length(); i++) {
            if (Character.isISOControl(streamId.charAt(i))) {
                throw InvalidRequestException.controlCharacterInStreamId(streamId);
            }
        }
        return streamId;
    }

    private static void checkEvent(EventData event, int maxBytes) {
        int bytes = utf8Length(event.payload()) + utf8Length(event.metadata());
        if (bytes > maxBytes) {
            throw InvalidRequestException.eventTooLarge(event.type(), bytes, maxBytes);
        }
        String problem = jsonObjectProblem(event.payload());
        if (problem != null) {
            throw InvalidRequestException.notAJsonObject("payload", event.type(), problem);
        }
        problem = jsonObjectProblem(event.metadata());
        if (problem != null) {
            throw InvalidRequestException.notAJsonObject("metadata", event.type(), problem);
        }
    }

    /** Why {@code json} is not one JSON object PostgreSQL's {@code jsonb} accepts, or null if it is. */
    static @Nullable String jsonObjectProblem(String json) {
        // jsonb refuses \u0000 in strings; only then do we need to look at decoded text
        boolean mayHoldNul = json.contains("\\u0000");
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return "it does not start with '{'";
            }
            if (mayHoldNul) {
                int depth = 1;
                while (depth > 0) {
                    JsonToken token = parser.nextToken();
                    if (token == null) {
                        return "it ends early";
                    }
                    switch (token) {
                        case START_OBJECT, START_ARRAY -> depth++;
                        case END_OBJECT, END_ARRAY -> depth--;
                        case FIELD_NAME, VALUE_STRING -> {
                            if (parser.getText().indexOf('\0') >= 0) {
                                return "it contains the character \\u0000, which PostgreSQL cannot store";
                            }
                        }
                        default -> {
                        }
                    }
                }
            } else {
                parser.skipChildren();
            }
            if (parser.nextToken() != null) {
                return "there is more after the object";
            }
            return null;
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            return message == null ? "malformed JSON" : message.lines().findFirst().orElse("malformed JSON");
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    public String streamId() {
        return streamId;
    }

    public ExpectedVersion expected() {
        return expected;
    }

    /** The events, in order; at least one. */
    public List<EventData> events() {
        return events;
    }

    @Override
    public String toString() {
        return "Append[" + streamId + ", expected " + expected + ", " + events.size() + " event(s)]";
    }
}
