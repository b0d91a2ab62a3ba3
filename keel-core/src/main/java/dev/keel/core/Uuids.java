package dev.keel.core;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Time-ordered UUIDs (version 7, RFC 9562): the first 48 bits are the Unix time in milliseconds, so
 * ids made later sort later and B-tree indexes on them stay compact. Within one millisecond the
 * 12-bit sequence field counts up, so ids from this process are strictly increasing.
 */
public final class Uuids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Object LOCK = new Object();
    private static long lastMillis;
    private static int sequence;

    private Uuids() {
    }

    /** A new version-7 UUID for the current time of the system clock. */
    public static UUID timeOrdered() {
        return timeOrdered(Clock.systemUTC());
    }

    /** A new version-7 UUID stamped with the time of the given clock. */
    public static UUID timeOrdered(Clock clock) {
        long millis = clock.millis();
        int seq;
        synchronized (LOCK) {
            if (millis <= lastMillis) {
                millis = lastMillis;
                sequence++;
                if (sequence > 0xFFF) {
                    // 4096 ids in one millisecond: borrow the next millisecond rather than repeat
                    millis = ++lastMillis;
                    sequence = 0;
                }
            } else {
                lastMillis = millis;
                sequence = RANDOM.nextInt(0x800);
            }
            seq = sequence;
        }
        long most = (millis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | seq;
        long least = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(most, least);
    }

    /** The millisecond timestamp of a version-7 UUID. */
    public static long unixMillis(UUID uuid) {
        if (uuid.version() != 7) {
            throw new IllegalArgumentException("not a version-7 UUID: " + uuid);
        }
        return uuid.getMostSignificantBits() >>> 16;
    }
}
