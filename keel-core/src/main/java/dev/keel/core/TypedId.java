package dev.keel.core;

/**
 * A typed identifier: a record of one component that says what it identifies, so an
 * {@code OrderId} cannot be passed where a {@code CustomerId} is expected.
 *
 * <pre>{@code
 * public record OrderId(UUID value) implements TypedId<UUID> {
 *     public static OrderId random() { return new OrderId(Uuids.timeOrdered()); }
 * }
 * }</pre>
 *
 * The {@link dev.keel.core.json.JsonCodec} writes such an id as its bare value ({@code "0190…"}, not
 * {@code {"value":"0190…"}}) and reads it back through the record's canonical constructor, so the
 * record's own validation runs on input.
 */
public interface TypedId<V> {

    V value();

    /** The id as text, for logs, URLs and keys. */
    default String asString() {
        return String.valueOf(value());
    }
}
