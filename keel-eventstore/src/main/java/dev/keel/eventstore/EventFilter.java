package dev.keel.eventstore;

import java.util.List;

/**
 * Which events of the whole log to read or subscribe to: all of them, those of some event types,
 * those of streams whose id starts with a prefix (a category such as {@code order-}), or both.
 *
 * <pre>{@code
 * EventFilter.all()
 * EventFilter.eventTypes("shop.order.OrderPlaced", "shop.order.OrderCancelled")
 * EventFilter.category("order")                                     // streams "order-..."
 * EventFilter.category("order").withEventTypes("shop.order.OrderPlaced")
 * }</pre>
 *
 * Without a type list, Keel's own {@link SystemEvents} pass too (a stream archived or deleted), so that a
 * reader of a category learns when one of its streams ends; with a type list, only the listed types do.
 *
 * @param types        the event types to keep; empty: every type
 * @param streamPrefix the prefix stream ids must start with; empty: every stream
 */
public record EventFilter(List<String> types, String streamPrefix) {

    private static final EventFilter ALL = new EventFilter(List.of(), "");

    public EventFilter {
        if (types == null) {
            throw InvalidRequestException.invalidFilter("the list of event types is missing (use an empty list for all)");
        }
        for (String type : types) {
            if (type == null || type.isBlank()) {
                throw InvalidRequestException.invalidFilter("an event type in the filter is blank");
            }
        }
        types = List.copyOf(types);
        if (streamPrefix == null) {
            throw InvalidRequestException.invalidFilter("the stream id prefix is missing (use \"\" for all streams)");
        }
        if (streamPrefix.chars().anyMatch(Character::isISOControl)) {
            throw InvalidRequestException.invalidFilter("the stream id prefix contains control characters");
        }
    }

    public static EventFilter all() {
        return ALL;
    }

    public static EventFilter eventTypes(String... types) {
        if (types.length == 0) {
            throw InvalidRequestException.invalidFilter("name at least one event type (or use EventFilter.all())");
        }
        return new EventFilter(List.of(types), "");
    }

    /** Streams whose id starts with {@code prefix}. */
    public static EventFilter streamIdPrefix(String prefix) {
        return new EventFilter(List.of(), prefix);
    }

    /** The streams of a category: ids of the form {@code <category>-...}, e.g. {@code order-7} for {@code order}. */
    public static EventFilter category(String category) {
        if (category == null || category.isBlank()) {
            throw InvalidRequestException.invalidFilter("a category is not blank");
        }
        return new EventFilter(List.of(), category + "-");
    }

    public EventFilter withEventTypes(String... types) {
        return new EventFilter(List.of(types), streamPrefix);
    }

    public EventFilter withStreamIdPrefix(String prefix) {
        return new EventFilter(types, prefix);
    }

    public boolean isAll() {
        return types.isEmpty() && streamPrefix.isEmpty();
    }

    /** Whether an event passes this filter. */
    public boolean matches(RecordedEvent event) {
        return (types.isEmpty() || types.contains(event.type())) && event.streamId().startsWith(streamPrefix);
    }
}
