package dev.keel.test;

import java.util.concurrent.atomic.AtomicInteger;

import dev.keel.embedded.Durability;
import dev.keel.embedded.EmbeddedKafka;
import dev.keel.embedded.EmbeddedPostgres;

/**
 * The one PostgreSQL cluster and the one Kafka broker of this test JVM, each started on first use.
 * Tests run with {@link Durability#FAST}: their data is thrown away, so fsync buys nothing.
 */
final class SharedInfrastructure implements AutoCloseable {

    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    private EmbeddedPostgres postgres;
    private EmbeddedKafka kafka;

    synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            postgres = EmbeddedPostgres.builder().durability(Durability.FAST).start();
        }
        return postgres;
    }

    synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            kafka = EmbeddedKafka.builder().defaultPartitions(4).start();
        }
        return kafka;
    }

    /** A short name unique in this JVM, from a hint such as a test class name. */
    static String uniqueName(String hint) {
        String cleaned = hint.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        if (cleaned.length() > 40) {
            cleaned = cleaned.substring(0, 40);
        }
        if (cleaned.isEmpty() || !Character.isLetter(cleaned.charAt(0))) {
            cleaned = "t_" + cleaned;
        }
        return cleaned + "_" + NEXT_ID.incrementAndGet();
    }

    @Override
    public synchronized void close() {
        RuntimeException failure = null;
        if (kafka != null) {
            try {
                kafka.close();
            } catch (RuntimeException e) {
                failure = e;
            }
            kafka = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
            postgres = null;
        }
        if (failure != null) {
            throw failure;
        }
    }
}
