package dev.keel.composition;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A handle on one part of a {@link Composition}: what its value is looked up by in the
 * {@link Composed} result, and what later parts depend on. Made by the composition's {@code part}
 * methods.
 *
 * @param <T> the part's value type
 */
public final class Part<T> {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    /** Turns the values of a part's dependencies into its calls. */
    @FunctionalInterface
    interface Planner {
        List<Request<?>> plan(Object[] dependencyValues) throws Exception;
    }

    private final Composition owner;
    private final String name;
    private final int index;
    private final List<Part<?>> dependencies;
    private final Planner planner;
    private final boolean isList;
    private boolean required;

    Part(Composition owner, String name, int index, List<Part<?>> dependencies, Planner planner, boolean isList) {
        this.owner = owner;
        this.name = Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a part name is a letter and then up to 63 letters, digits, '_', '.' or '-', got '"
                    + name + "'");
        }
        this.index = index;
        this.dependencies = List.copyOf(dependencies);
        this.planner = planner;
        this.isList = isList;
    }

    public String name() {
        return name;
    }

    /**
     * Makes this part required: if it ends up with no value, the composition fails as a whole — the
     * other calls still under way are cancelled and {@link Composition#run()} throws
     * {@link RequiredPartUnavailableException} or {@link RequiredPartFailedException}. (An order's
     * details without the order make no sense.) A stale or default value counts as a value.
     */
    public Part<T> required() {
        owner.requireNotStarted("mark part '" + name + "' required");
        this.required = true;
        return this;
    }

    public boolean isRequired() {
        return required;
    }

    Composition owner() {
        return owner;
    }

    int index() {
        return index;
    }

    List<Part<?>> dependencies() {
        return dependencies;
    }

    Planner planner() {
        return planner;
    }

    boolean isList() {
        return isList;
    }

    @Override
    public String toString() {
        return "Part[" + name + (required ? ", required" : "") + "]";
    }
}
