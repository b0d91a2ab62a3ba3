package dev.keel.shop.platform;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Readiness checks of a service: the database answers, its consumers run, ... A service is ready
 * when every check passes; {@code /health/live} only says the process serves HTTP.
 */
public final class Health {

    /** The result of one check. */
    public record Check(boolean up, String detail) {
        public static Check ok() {
            return new Check(true, "UP");
        }

        public static Check down(String why) {
            return new Check(false, "DOWN: " + why);
        }
    }

    private final Map<String, Supplier<Check>> checks = new ConcurrentHashMap<>();

    public Health check(String name, Supplier<Check> check) {
        checks.put(name, check);
        return this;
    }

    /** Runs every check; a check that throws is down. */
    public Map<String, Check> run() {
        Map<String, Check> results = new LinkedHashMap<>();
        checks.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            Check result;
            try {
                result = entry.getValue().get();
            } catch (RuntimeException e) {
                result = Check.down(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
            results.put(entry.getKey(), result);
        });
        return results;
    }
}
