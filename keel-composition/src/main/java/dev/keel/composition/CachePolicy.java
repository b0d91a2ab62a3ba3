package dev.keel.composition;

import java.time.Duration;
import java.util.Objects;

/**
 * A short-lived cache of successful GET answers of one downstream, for reference lookups (a product's
 * name and price, a customer's name) that many compositions ask for. An answer is served from the cache
 * for {@code ttl} after it was fetched (as {@link PartResult.Cached}, with its age); at most
 * {@code maxEntries} answers are kept, the least recently used going first.
 */
public record CachePolicy(Duration ttl, int maxEntries) {

    public CachePolicy {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a cache's time to live must be positive, got " + ttl);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a cache holds at least one entry, got " + maxEntries);
        }
    }

    public static CachePolicy ttl(Duration ttl) {
        return new CachePolicy(ttl, 10_000);
    }

    public CachePolicy maxEntries(int entries) {
        return new CachePolicy(ttl, entries);
    }
}
