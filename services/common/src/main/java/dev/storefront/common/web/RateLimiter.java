package dev.storefront.common.web;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key (an email, an IP, a user id), in memory. Each replica limits on its own:
 * good enough to stop brute force and runaway clients without a shared store.
 */
public final class RateLimiter {
    private final int capacity;
    private final double refillPerNano;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }

    /** {@code capacity} requests at once, refilled at {@code capacity} per {@code period}. */
    public RateLimiter(int capacity, Duration period) {
        this.capacity = capacity;
        this.refillPerNano = (double) capacity / period.toNanos();
    }

    /** Takes one token for {@code key} or throws 429 with Retry-After. */
    public void acquire(String key) {
        long wait = tryAcquire(key);
        if (wait > 0) {
            throw ApiException.rateLimited(wait);
        }
    }

    /** 0 when allowed, else the seconds until a token is back. */
    public long tryAcquire(String key) {
        long now = System.nanoTime();
        if (buckets.size() > 100_000) {
            buckets.clear(); // bounded memory under a flood of distinct keys
        }
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(capacity, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updated) * refillPerNano);
            bucket.updated = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / refillPerNano / 1e9));
        }
    }

    public void reset(String key) {
        buckets.remove(key);
    }
}
