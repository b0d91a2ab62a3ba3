package dev.keel.composition;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of a {@link Composition}: every part's {@link PartResult}, typed by its {@link Part}
 * handle, and the {@link ComposedResponse} to send.
 *
 * <pre>{@code
 * Composed result = details.run();
 * Order order = result.get(order);                          // a required part always has a value
 * Optional<Customer> customer = result.value(customer);    // fresh, cached, stale or default
 * ComposedResponse<Map<String, Object>> body = result.response();
 * }</pre>
 */
public final class Composed {

    private final Composition composition;
    private final List<Part<?>> parts;
    private final List<PartResult<?>> results;

    Composed(Composition composition, List<PartResult<?>> results) {
        this.composition = composition;
        this.parts = List.copyOf(composition.declaredParts());
        this.results = List.copyOf(results);
    }

    /** What the part came to. */
    @SuppressWarnings("unchecked")
    public <T> PartResult<T> result(Part<T> part) {
        return (PartResult<T>) results.get(own(part).index());
    }

    /** The part's value, if it has one (fresh, cached, stale or default: see {@link #result(Part)} for which). */
    public <T> Optional<T> value(Part<T> part) {
        return result(part).value();
    }

    /** The part's value; for parts that must have one, such as required parts. */
    public <T> T get(Part<T> part) {
        PartResult<T> result = result(part);
        return result.value().orElseThrow(() -> new NoSuchElementException("part '" + part.name() + "' has no value: "
                + ((PartResult.Missing<T>) result).failure().detail()));
    }

    /** Whether every part is complete or cached. */
    public boolean isComplete() {
        return results.stream().allMatch(PartResult::isComplete);
    }

    /** The status of every part, by name, in declaration order. */
    public Map<String, PartStatus> parts() {
        Map<String, PartStatus> statuses = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            statuses.put(parts.get(i).name(), results.get(i).status());
        }
        return Collections.unmodifiableMap(statuses);
    }

    /**
     * The response with the default data: an object with one field per part that has a value, named
     * after the part. A part whose value is an empty {@code Optional} (a {@code jsonOrEmpty} request
     * answered 404: there is none) is left out of the data like a missing part, but its status is
     * {@code complete}: the client knows there is none, rather than not knowing.
     */
    public ComposedResponse<Map<String, Object>> response() {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            Optional<?> value = results.get(i).value();
            if (value.isPresent()) {
                String name = parts.get(i).name();
                Object each = value.get();
                if (each instanceof Optional<?> optional) {
                    optional.ifPresent(present -> data.put(name, present));
                } else {
                    data.put(name, each);
                }
            }
        }
        return new ComposedResponse<>(Collections.unmodifiableMap(data), parts(), isComplete());
    }

    /** The response with data of your own making (a typed DTO), with the parts' statuses beside it. */
    public <D> ComposedResponse<D> response(D data) {
        return new ComposedResponse<>(Objects.requireNonNull(data, "data"), parts(), isComplete());
    }

    private <T> Part<T> own(Part<T> part) {
        Objects.requireNonNull(part, "part");
        if (part.owner() != composition) {
            throw new IllegalArgumentException(part + " belongs to another composition");
        }
        return part;
    }

    @Override
    public String toString() {
        return "Composed" + parts();
    }
}
