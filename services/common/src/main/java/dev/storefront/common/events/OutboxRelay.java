package dev.storefront.common.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.storefront.common.BackgroundJob;
import dev.storefront.common.db.Database;
import dev.storefront.common.db.Rows;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

/**
 * Publishes outbox rows to JetStream and deletes them once acknowledged. Rows are taken with
 * {@code FOR UPDATE SKIP LOCKED}, so replicas share the work; a crash after publishing but before
 * deleting republishes with the same {@code Nats-Msg-Id}, which JetStream drops as a duplicate.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final int BATCH = 200;
    /**
     * A commit of this process that appended a row wakes the relay; the sweep only picks up rows this
     * process did not write (a replica that stopped, or died, before sending them), so it can be slow.
     */
    private static final Duration DEFAULT_SWEEP = Duration.ofSeconds(30);

    private final Database db;
    private final EventBus bus;
    private static final java.util.Map<String, OutboxRelay> CURRENT = new java.util.concurrent.ConcurrentHashMap<>();

    private final AtomicLong published = new AtomicLong();
    private final AtomicLong lastPending = new AtomicLong();
    private final BackgroundJob job;

    public OutboxRelay(Database db, EventBus bus) {
        this(db, bus, DEFAULT_SWEEP);
    }

    public OutboxRelay(Database db, EventBus bus, Duration sweep) {
        this.db = db;
        this.bus = bus;
        // a stopping process sends what it committed before it closes its pool (drain on close)
        this.job = BackgroundJob.builder("outbox-relay-" + db.service(), () -> publishBatch() == BATCH)
                .every(sweep)
                .retryAfter(Duration.ofMillis(100), Duration.ofSeconds(5))
                .drainOnClose(true)
                .stopTimeout(Duration.ofSeconds(5))
                .build();
        db.onCommit(job::wake);
        registerPendingGauge();
    }

    /**
     * {@code storefront_outbox_pending{service}}: rows committed but not yet acknowledged by JetStream, counted
     * when scraped. One gauge per service for the process; it reads the service's newest relay, so a context
     * built again (tests, the one-process launcher) does not leave it reading a closed pool.
     */
    private void registerPendingGauge() {
        String service = db.service();
        CURRENT.put(service, this);
        Metrics.globalRegistry().getOrCreate(Gauge.builder("storefront_outbox_pending", () -> {
            OutboxRelay relay = CURRENT.get(service);
            return relay == null ? 0L : relay.pendingForGauge();
        }).description("Outbox rows not yet published to JetStream").tags(List.of(Metrics.tag("service", service))));
    }

    private long pendingForGauge() {
        try {
            lastPending.set(pending());
        } catch (RuntimeException e) {
            // the database is away: the last count stays, and the readiness check reports the database
        }
        return lastPending.get();
    }

    public void start() {
        job.start();
    }

    public boolean started() {
        return job.started();
    }

    public void wake() {
        job.wake();
    }

    public long publishedCount() {
        return published.get();
    }

    /** Rows still waiting to be published (the outbox lag). */
    public long pending() {
        return Database.count(db.execute(), "SELECT count(*) FROM outbox");
    }

    /** Publishes one batch; returns how many rows it published. Visible for tests. */
    public int publishBatch() {
        return db.inTransaction(tx -> {
            record Row(UUID id, String type, String envelope, String requestId) {
            }
            List<Row> rows = Database.list(tx,
                    "SELECT id, type, envelope, request_id FROM outbox ORDER BY seq LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED",
                    r -> new Row(Rows.uuid(r, "id"), Rows.string(r, "type"), Rows.string(r, "envelope"), Rows.string(r, "request_id")));
            if (rows.isEmpty()) {
                return 0;
            }
            List<CompletableFuture<PublishAck>> acks = new ArrayList<>(rows.size());
            for (Row row : rows) {
                Headers headers = new Headers();
                if (row.requestId() != null) {
                    headers.put("X-Request-Id", row.requestId());
                }
                headers.put("Content-Type", "application/cloudevents+json");
                NatsMessage message = NatsMessage.builder()
                        .subject(bus.subjectFor(row.type()))
                        .headers(headers)
                        .data(row.envelope().getBytes(StandardCharsets.UTF_8))
                        .build();
                acks.add(bus.jetStream().publishAsync(message,
                        PublishOptions.builder().messageId(row.id().toString()).streamTimeout(Duration.ofSeconds(5)).build()));
            }
            try {
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("JetStream did not acknowledge the batch: " + e.getMessage(), e);
            }
            String[] ids = rows.stream().map(r -> r.id().toString()).toArray(String[]::new);
            tx.dml("DELETE FROM outbox WHERE id = ANY(?::uuid[])", (Object) ids);
            published.addAndGet(rows.size());
            return rows.size();
        });
    }

    @Override
    public void close() {
        CURRENT.remove(db.service(), this);
        job.close();
    }
}
