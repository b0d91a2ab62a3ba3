package dev.keel.embedded;

import java.util.Map;

/**
 * How much a PostgreSQL commit promises.
 *
 * <p>{@link #DURABLE} is what anything a user runs must use: a commit has reached the disk, so a
 * crash of the process or the machine loses nothing. {@link #FAST} turns {@code fsync} and
 * {@code synchronous_commit} off: a crash of the machine may lose or corrupt recent commits, which is
 * fine for a test suite that throws its data away and is what zonky's own default is.
 */
public enum Durability {
    DURABLE(Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on")),
    FAST(Map.of("fsync", "off", "synchronous_commit", "off", "full_page_writes", "off"));

    private final Map<String, String> settings;

    Durability(Map<String, String> settings) {
        this.settings = settings;
    }

    /** The PostgreSQL server settings that give this durability. */
    public Map<String, String> serverSettings() {
        return settings;
    }
}
