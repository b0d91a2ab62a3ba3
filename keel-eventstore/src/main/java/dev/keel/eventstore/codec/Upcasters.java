package dev.keel.eventstore.codec;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The upcasters of a codec, one per (type, schema version): {@code add("shop.order.OrderPlaced", 1, ...)}
 * lifts version 1 to 2. Old JSON is lifted step by step to the version the code knows. The same
 * mechanism serves events ({@link EventCodec}) and snapshots ({@link dev.keel.eventstore.snapshot.SnapshotCodec}).
 */
public final class Upcasters {

    private record Step(String type, int fromVersion) {
    }

    private static final Upcasters NONE = new Upcasters(Map.of());

    private final Map<Step, Upcaster> steps;

    private Upcasters(Map<Step, Upcaster> steps) {
        this.steps = Map.copyOf(steps);
    }

    public static Upcasters none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether JSON of {@code type} can be lifted from {@code fromVersion} to {@code toVersion}. */
    public boolean canLift(String type, int fromVersion, int toVersion) {
        for (int version = fromVersion; version < toVersion; version++) {
            if (!steps.containsKey(new Step(type, version))) {
                return false;
            }
        }
        return fromVersion <= toVersion;
    }

    /**
     * Lifts {@code json} of {@code type} from {@code fromVersion} to {@code toVersion}.
     *
     * @throws EventDecodingException when a step is missing
     */
    public ObjectNode lift(String type, int fromVersion, int toVersion, ObjectNode json) {
        ObjectNode current = json;
        for (int version = fromVersion; version < toVersion; version++) {
            Upcaster upcaster = steps.get(new Step(type, version));
            if (upcaster == null) {
                throw EventDecodingException.noUpcaster(type, version, toVersion);
            }
            current = Objects.requireNonNull(upcaster.upcast(current), () -> "upcaster of " + type + " returned null");
        }
        return current;
    }

    public static final class Builder {
        private final Map<Step, Upcaster> steps = new HashMap<>();

        private Builder() {
        }

        /** Lifts {@code type} from {@code fromVersion} to {@code fromVersion + 1}. */
        public Builder add(String type, int fromVersion, Upcaster upcaster) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(upcaster, "upcaster");
            if (fromVersion < 1) {
                throw new IllegalArgumentException("an upcaster lifts from version 1 or more, got " + fromVersion);
            }
            if (steps.putIfAbsent(new Step(type, fromVersion), upcaster) != null) {
                throw new IllegalArgumentException("two upcasters for " + type + " version " + fromVersion);
            }
            return this;
        }

        public Upcasters build() {
            return new Upcasters(steps);
        }
    }
}
