package dev.keel.composition;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Bodies of good answers by call, with when they were fetched; bounded, the least recently used
 * going first. Serves both the short-TTL cache and the last good answers behind
 * {@link Fallback#lastGood(java.time.Duration)}; the caller judges age.
 */
final class ResponseStore {

    record Key(String method, URI uri, ByteBuffer body) {
    }

    record Stored(byte[] body, Instant fetchedAt) {
    }

    private final int capacity;
    private final LinkedHashMap<Key, Stored> entries;

    ResponseStore(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Stored> eldest) {
                return size() > ResponseStore.this.capacity;
            }
        };
    }

    synchronized Optional<Stored> get(Key key) {
        return Optional.ofNullable(entries.get(key));
    }

    synchronized void put(Key key, Stored entry) {
        entries.put(key, entry);
    }

    synchronized void remove(Key key) {
        entries.remove(key);
    }

    synchronized int size() {
        return entries.size();
    }
}
