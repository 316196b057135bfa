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
import dev.storefront.common.tracing.Tracing;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.nats.client.PublishOptions;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
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
    private static final long GAUGE_READ_REUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private final java.util.concurrent.atomic.AtomicReference<Backlog> lastBacklog =
            new java.util.concurrent.atomic.AtomicReference<>(new Backlog(0, 0, System.nanoTime() - GAUGE_READ_REUSE_NANOS));
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
        registerGauges();
    }

    /**
     * The outbox as the metrics see it, per service: {@code storefront_outbox_pending{service}}, rows committed but
     * not yet acknowledged by JetStream, and {@code storefront_outbox_lag_seconds{service}}, how long the oldest of them
     * has waited (0 when none). Both come from one query when scraped. One gauge each per service for the process;
     * they read the service's newest relay, so a context built again (tests, the one-process launcher) does not leave
     * them reading a closed pool.
     */
    private void registerGauges() {
        String service = db.service();
        CURRENT.put(service, this);
        List<io.helidon.metrics.api.Tag> tags = List.of(Metrics.tag("service", service));
        Metrics.globalRegistry().getOrCreate(Gauge.builder("storefront_outbox_pending", () -> {
            OutboxRelay relay = CURRENT.get(service);
            return relay == null ? 0L : relay.backlogForGauge().pending();
        }).description("Outbox rows not yet published to JetStream").tags(tags));
        Metrics.globalRegistry().getOrCreate(Gauge.builder("storefront_outbox_lag_seconds", () -> {
            OutboxRelay relay = CURRENT.get(service);
            return relay == null ? 0.0 : relay.backlogForGauge().oldestAgeSeconds();
        }).description("Age of the oldest outbox row not yet published to JetStream (0 when none)").tags(tags));
    }

    /** How many rows wait and how long the oldest has waited. */
    public record Backlog(long pending, double oldestAgeSeconds, long readAtNanos) {
    }

    /** What is waiting to be published now; age from the database's clock, as created_at is. */
    public Backlog backlog() {
        return Database.one(db.execute(),
                        "SELECT count(*) AS pending, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS age FROM outbox",
                        r -> new Backlog(Rows.longValue(r, "pending"), ((Number) r.column("age").get(Object.class)).doubleValue(), System.nanoTime()))
                .orElseThrow();
    }

    private Backlog backlogForGauge() {
        Backlog last = lastBacklog.get();
        // the two gauges of one scrape share one read
        if (System.nanoTime() - last.readAtNanos() < GAUGE_READ_REUSE_NANOS) {
            return last;
        }
        try {
            Backlog now = backlog();
            lastBacklog.set(now);
            return now;
        } catch (RuntimeException e) {
            // the database is away: the last figures stay, and the readiness check reports the database
            return last;
        }
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

    /** Rows still waiting to be published. */
    public long pending() {
        return backlog().pending();
    }

    /** Publishes one batch; returns how many rows it published. Visible for tests. */
    public int publishBatch() {
        return db.inTransaction(tx -> {
            record Row(UUID id, String type, String envelope, String requestId, String traceparent) {
            }
            List<Row> rows = Database.list(tx,
                    "SELECT id, type, envelope, request_id, traceparent FROM outbox ORDER BY seq LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED",
                    r -> new Row(Rows.uuid(r, "id"), Rows.string(r, "type"), Rows.string(r, "envelope"), Rows.string(r, "request_id"),
                            Rows.string(r, "traceparent")));
            if (rows.isEmpty()) {
                return 0;
            }
            List<CompletableFuture<PublishAck>> acks = new ArrayList<>(rows.size());
            List<Span> spans = new ArrayList<>();
            for (Row row : rows) {
                Headers headers = new Headers();
                if (row.traceparent() != null && Tracing.enabled()) {
                    // a producer span in the trace of the transaction that wrote the row; its context goes in the headers
                    Span span = Tracing.tracer(db.service()).spanBuilder("publish " + row.type())
                            .setParent(Tracing.fromTraceparent(row.traceparent())).setSpanKind(SpanKind.PRODUCER)
                            .setAttribute("messaging.system", "nats").setAttribute("messaging.destination.name", bus.subjectFor(row.type()))
                            .setAttribute("messaging.message.id", row.id().toString()).startSpan();
                    spans.add(span);
                    Tracing.inject(Context.root().with(span), headers::put);
                }
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
                spans.forEach(span -> span.setStatus(StatusCode.ERROR, "not acknowledged"));
                throw new IllegalStateException("JetStream did not acknowledge the batch: " + e.getMessage(), e);
            } finally {
                spans.forEach(Span::end);
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
