package dev.keel.bench;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One figure of a benchmark run.
 *
 * @param name  what was measured, e.g. {@code eventstore.append.1-writer.durable}
 * @param value the median over the measured iterations
 * @param unit  e.g. {@code events/s}, {@code ms}
 * @param limit the name of the physical-limit figure of the same run this one is compared with;
 *              null for the limits themselves
 * @param ratio value / the limit's value; null when there is no limit
 */
public record Result(String name, double value, String unit, @Nullable String limit, @Nullable Double ratio) {

    public Result {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        if ((limit == null) != (ratio == null)) {
            throw new IllegalArgumentException("a result has both a limit and a ratio, or neither: " + name);
        }
    }

    /** A figure that is a physical limit itself. */
    public static Result limit(String name, double value, String unit) {
        return new Result(name, value, unit, null, null);
    }

    /** A figure compared with a limit measured in the same run. */
    public static Result against(String name, double value, String unit, Result limit) {
        if (!limit.unit().equals(unit)) {
            throw new IllegalArgumentException(name + " in " + unit + " cannot be compared with " + limit.name() + " in " + limit.unit());
        }
        return new Result(name, value, unit, limit.name(), limit.value() == 0 ? 0.0 : value / limit.value());
    }

    String toJson() {
        return "{\"name\":" + quote(name) + ",\"value\":" + number(value) + ",\"unit\":" + quote(unit)
                + ",\"limit\":" + (limit == null ? "null" : quote(limit))
                + ",\"ratio\":" + (ratio == null ? "null" : number(ratio)) + "}";
    }

    private static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(java.util.Locale.ROOT, "%.4f", d);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
