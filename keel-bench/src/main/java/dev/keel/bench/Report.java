package dev.keel.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The table printed after each suite and the JSON file written for it. */
final class Report {

    private Report() {
    }

    static String line(Result result) {
        String compared = result.limit() == null
                ? "(limit)"
                : String.format(Locale.ROOT, "%6.1f %% of %s", result.ratio() * 100, result.limit());
        return String.format(Locale.ROOT, "  %-58s %14s %-10s %s", result.name(), format(result.value()), result.unit(), compared);
    }

    static String table(String suite, List<Result> results) {
        StringBuilder table = new StringBuilder();
        table.append('\n').append("== ").append(suite).append(" ==\n");
        table.append(String.format(Locale.ROOT, "  %-58s %14s %-10s %s%n", "name", "value", "unit", "compared with"));
        for (Result result : results) {
            table.append(line(result)).append('\n');
        }
        return table.toString();
    }

    static Path writeJson(Path directory, String suite, List<Result> results) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(suite + ".json");
        String json = results.stream().map(Result::toJson).collect(Collectors.joining(",\n  ", "[\n  ", "\n]\n"));
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    private static String format(double value) {
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
