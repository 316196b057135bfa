package dev.storefront.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import dev.storefront.common.BackgroundJob;
import dev.storefront.common.ServiceContext;

/**
 * Product views and searches for analytics, kept off the request path: a request only offers the event
 * to a bounded in-memory buffer (never waits, never touches the database); the activity-flush job
 * writes what is buffered, up to {@code batch} events per {@code storefront.product.activity} outbox
 * row, about once a second, and on stop. When the buffer is full (a burst larger than the flush keeps
 * up with) further views are dropped and counted ({@link #dropped}): a lost view is acceptable, a slower
 * product page is not. Views still in the buffer when the process dies are lost too; sales never
 * travel this way (order's events carry them). Config {@code storefront.catalog.activity.enabled}
 * (true), {@code .buffer} (10000), {@code .batch} (500), {@code .flush-ms} (1000).
 */
final class ActivityEvents {
    static final String TYPE = "storefront.product.activity";
    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9_-]{8,64}");

    private final ServiceContext ctx;
    private final boolean enabled;
    private final int batch;
    private final int capacity;
    /**
     * Lock-free, so request threads never queue behind each other or behind the flush (an
     * ArrayBlockingQueue takes one lock for offer, size and drain); {@link #buffered} bounds it.
     */
    private final ConcurrentLinkedQueue<Activity> buffer = new ConcurrentLinkedQueue<>();
    private final AtomicInteger buffered = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final BackgroundJob job;

    ActivityEvents(ServiceContext ctx) {
        this.ctx = ctx;
        var config = ctx.config().get("storefront.catalog.activity");
        this.enabled = config.get("enabled").asBoolean().orElse(true);
        this.batch = Math.max(1, config.get("batch").asInt().orElse(500));
        this.capacity = Math.max(1, config.get("buffer").asInt().orElse(10_000));
        this.job = BackgroundJob.builder("activity-flush", this::flush)
                .every(Duration.ofMillis(config.get("flush-ms").asLong().orElse(1_000L)))
                .drainOnClose(true)
                .build();
    }

    BackgroundJob job() {
        return job;
    }

    long dropped() {
        return dropped.get();
    }

    /** What a request leaves in the buffer: no id, no JSON yet (the flush job makes those, off the request path). */
    private record Activity(String type, UUID productId, String query, long results, String session, long atMillis) {
        Map<String, Object> entry() {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", UUID.randomUUID().toString());
            e.put("type", type);
            e.put("occurredAt", Instant.ofEpochMilli(atMillis).toString());
            if (session != null && SESSION.matcher(session).matches()) {
                e.put("sessionId", session);
            }
            if (productId != null) {
                e.put("productId", productId.toString());
            } else {
                e.put("query", query.length() > 200 ? query.substring(0, 200) : query);
                e.put("resultCount", results);
            }
            return e;
        }
    }

    /** A shopper looked at a product. {@code session} is the client's X-Session-Id header, if any. */
    void viewed(UUID productId, String session) {
        if (enabled) {
            offer(new Activity("product_view", productId, null, 0, session, System.currentTimeMillis()));
        }
    }

    /** A shopper searched for {@code query}; {@code results} is how many products matched. */
    void searched(String query, long results, String session) {
        if (enabled && query != null && !query.isBlank()) {
            offer(new Activity("product_search", null, query, results, session, System.currentTimeMillis()));
        }
    }

    private void offer(Activity event) {
        int n = buffered.incrementAndGet();
        if (n > capacity) {
            buffered.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        buffer.offer(event);
        if (n % batch == 0) { // a batch is waiting: once per batch, not on every view after it
            job.wake();
        }
    }

    /** One outbox row of up to {@code batch} events; true while more are buffered. */
    private boolean flush() {
        List<Activity> drained = new ArrayList<>(batch);
        for (Activity a; drained.size() < batch && (a = buffer.poll()) != null; ) {
            drained.add(a);
        }
        if (drained.isEmpty()) {
            return false;
        }
        buffered.addAndGet(-drained.size());
        List<Map<String, Object>> events = drained.stream().map(Activity::entry).toList();
        try {
            ctx.db().inTransactionDo(tx -> ctx.outbox().append(tx, TYPE, Map.of("events", events)));
        } catch (RuntimeException e) {
            // the database is away: these views are lost (counted), not retried, so the buffer stays bounded
            dropped.addAndGet(events.size());
            throw e;
        }
        return !buffer.isEmpty();
    }
}
