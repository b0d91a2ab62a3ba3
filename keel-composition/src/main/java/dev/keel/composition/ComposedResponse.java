package dev.keel.composition;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one shape of every composed HTTP response. Write it with keel-core's {@code JsonCodec}:
 *
 * <pre>{@code
 * {
 *   "data":  { "order": {...}, "customer": {...}, "payment": {...} },
 *   "parts": { "order":    { "status": "complete" },
 *              "customer": { "status": "stale", "reason": "circuit_open", "detail": "...", "ageMs": 42000 },
 *              "payment":  { "status": "complete" },
 *              "shipment": { "status": "missing", "reason": "timeout", "detail": "..." } },
 *   "complete": false
 * }
 * }</pre>
 *
 * <p>{@code parts} names every part of the composition, in the order they were declared, with its
 * {@link PartStatus}. {@code complete} is true only when every part is {@code complete} or
 * {@code cached}; a client that reads {@code data} without looking at {@code parts} can check this
 * one flag. A {@code missing} part has no value in {@code data}; {@code stale} and {@code default}
 * values are in {@code data} and flagged in {@code parts}.
 *
 * @param data     what was composed: by default a map from part name to value
 * @param parts    the status of every part, by name, in declaration order
 * @param complete whether every part is complete or cached
 * @param <D>      the type of the data
 */
public record ComposedResponse<D>(D data, Map<String, PartStatus> parts, boolean complete) {

    public ComposedResponse {
        Objects.requireNonNull(data, "data");
        parts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(parts, "parts")));
    }
}
