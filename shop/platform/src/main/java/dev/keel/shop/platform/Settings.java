package dev.keel.shop.platform;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Named settings of the Shop ({@code payment.declineRate=0.1}), from the launcher's
 * {@code --set name=value} options. Each accessor names the setting in its error, so a typo in a
 * value fails at start-up with a clear message.
 */
public final class Settings {

    private final Map<String, String> values;

    public Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static Settings none() {
        return new Settings(Map.of());
    }

    public Optional<String> text(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public String text(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    public int integer(String name, int defaultValue) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + name + " must be an integer, got '" + value + "'");
        }
    }

    public double decimal(String name, double defaultValue) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + name + " must be a number, got '" + value + "'");
        }
    }

    /** A duration written {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT1M}). */
    public Duration duration(String name, Duration defaultValue) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        String text = value.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (text.startsWith("p")) {
                return Duration.parse(text.toUpperCase(java.util.Locale.ROOT));
            }
            var matcher = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text);
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
        } catch (java.time.format.DateTimeParseException | NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("setting " + name + " must be a duration like 500ms, 2s, 5m or PT1M, got '" + value + "'");
    }

    public Map<String, String> all() {
        return values;
    }
}
