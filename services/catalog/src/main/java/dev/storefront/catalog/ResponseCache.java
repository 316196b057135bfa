package dev.storefront.catalog;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Ready-to-send answers of the product list and product pages, so browsing does not touch the
 * database on every request. Bounded (least recently used goes first) and time-limited (a safety
 * net for a missed invalidation); any product change drops every list and that product's page.
 * A load that raced with an invalidation is not stored, so a stale answer never outlives it.
 */
public final class ResponseCache {
    /** A cached answer: the body bytes, their (weak) entity tag, and for a list the number of matches (else -1). */
    public record Entry(byte[] body, String etag, long storedAt, long total) {
        public Entry(byte[] body, String etag, long storedAt) {
            this(body, etag, storedAt, -1);
        }
    }

    private final int maxEntries;
    private final long ttlMillis;
    private final Map<String, ResponseCache.Entry> entries;
    private long generation;
    private long hits;
    private long misses;

    public ResponseCache(int maxEntries, long ttlMillis) {
        this.maxEntries = maxEntries;
        this.ttlMillis = ttlMillis;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ResponseCache.Entry> eldest) {
                return size() > ResponseCache.this.maxEntries;
            }
        };
    }

    public static String listKey(ProductQuery query) {
        return "list:" + query.cacheKey();
    }

    public static String productKey(UUID id) {
        return "product:" + id;
    }

    /** The cached entry for {@code key}, or the loaded one (stored unless invalidated meanwhile). */
    public Entry get(String key, Supplier<Entry> loader) {
        long seen;
        synchronized (this) {
            Entry e = entries.get(key);
            if (e != null && System.currentTimeMillis() - e.storedAt() < ttlMillis) {
                hits++;
                return e;
            }
            misses++;
            seen = generation;
        }
        Entry loaded = loader.get();
        if (loaded != null) {
            synchronized (this) {
                if (generation == seen) {
                    entries.put(key, loaded);
                }
            }
        }
        return loaded;
    }

    /** A product changed (here or on another replica): its page and every list may be stale. */
    public synchronized void productChanged(UUID id) {
        generation++;
        entries.keySet().removeIf(k -> k.startsWith("list:") || (id != null && k.equals(productKey(id))));
    }

    public synchronized void clear() {
        generation++;
        entries.clear();
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    public synchronized int size() {
        return entries.size();
    }
}
