package dev.keel.eventstore;

import java.util.UUID;
import java.util.regex.Pattern;

import dev.keel.core.Uuids;

/**
 * An event to append: its id (the key of idempotent retries), its type and the version of its
 * payload's shape, and payload and metadata as JSON text (each a JSON object).
 *
 * <p>Most code does not build these by hand but encodes typed events with
 * {@link dev.keel.eventstore.codec.EventCodec}. JSON well-formedness and size are checked when the
 * event is appended, before anything is written.
 *
 * @param eventId       unique across the store; appending the same ids again is an idempotent retry
 * @param type          a stable name such as {@code shop.order.OrderPlaced}: letters, digits and
 *                      {@code ._$-}, starting with a letter or '_', at most 255 characters (types starting
 *                      with {@code $} are Keel's own {@link SystemEvents} and cannot be appended)
 * @param schemaVersion the payload's shape, from 1; upcasters lift old versions on read
 * @param payload       a JSON object
 * @param metadata      a JSON object (correlation, causation, trace...); {@code {}} when there is none
 */
public record EventData(UUID eventId, String type, int schemaVersion, String payload, String metadata) {

    private static final Pattern TYPE = Pattern.compile("[A-Za-z_$][A-Za-z0-9_.$-]{0,254}");

    public EventData {
        if (eventId == null) {
            throw InvalidRequestException.missingEventId(type);
        }
        if (type == null || !TYPE.matcher(type).matches()) {
            throw InvalidRequestException.invalidEventType(type);
        }
        if (schemaVersion < 1) {
            throw InvalidRequestException.invalidSchemaVersion(type, schemaVersion);
        }
        if (payload == null || payload.isBlank()) {
            throw InvalidRequestException.missingPayload(type);
        }
        if (metadata == null || metadata.isBlank()) {
            throw InvalidRequestException.missingMetadata(type);
        }
    }

    /** A version-1 event with a fresh time-ordered id and no metadata. */
    public static EventData of(String type, String payloadJson) {
        return new EventData(Uuids.timeOrdered(), type, 1, payloadJson, "{}");
    }

    public EventData withEventId(UUID id) {
        return new EventData(id, type, schemaVersion, payload, metadata);
    }

    public EventData withSchemaVersion(int version) {
        return new EventData(eventId, type, version, payload, metadata);
    }

    public EventData withMetadata(String metadataJson) {
        return new EventData(eventId, type, schemaVersion, payload, metadataJson);
    }
}
