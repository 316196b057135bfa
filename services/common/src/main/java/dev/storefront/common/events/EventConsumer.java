package dev.storefront.common.events;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.storefront.common.db.Database;
import dev.storefront.common.web.Json;
import dev.storefront.common.web.RequestContext;
import dev.storefront.common.tracing.Tracing;
import io.helidon.dbclient.DbTransaction;
import io.nats.client.ConsumeOptions;
import io.nats.client.ConsumerContext;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.StreamContext;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;

/**
 * A durable JetStream consumer that applies each event once: the handler runs in a transaction
 * that also records the event id in {@code processed_events}; an id seen before is skipped; the
 * message is acknowledged only after the commit, and a failure asks for redelivery with back-off.
 */
public final class EventConsumer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventConsumer.class.getName());

    /** Applies one event inside the consumer's transaction. */
    @FunctionalInterface
    public interface Handler {
        void apply(DbTransaction tx, CloudEvent event);
    }

    /**
     * Short pulls: the client notices a pull the server lost (NATS restarted, a failover) by the missing idle
     * heartbeats, which are half the pull's expiry; with the default 30 s expiry a consumer sits idle for up to
     * a minute after NATS comes back, with 5 s it pulls again within seconds.
     */
    private static final ConsumeOptions PULL = ConsumeOptions.builder().expiresIn(5_000).build();

    private final Database db;
    private final EventBus bus;
    private final String name;
    /** Names this consumer's JetStream consumers for {@link EventHandler#everyReplica} handlers: this replica's own. */
    private final String replica = java.util.UUID.randomUUID().toString().substring(0, 8);
    private final List<MessageConsumer> consumers = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closing;

    public EventConsumer(Database db, EventBus bus, String name) {
        this.db = db;
        this.bus = bus;
        this.name = name;
    }

    /** Subscribes a named handler to each of its event types. */
    public EventConsumer on(EventHandler handler) {
        handler.types().forEach(type -> subscribe(type, handler::apply, handler.everyReplica()));
        return this;
    }

    /** Subscribes {@code handler} to one event type, e.g. {@code storefront.order.confirmed}. */
    public EventConsumer on(String type, Handler handler) {
        return subscribe(type, handler, false);
    }

    private EventConsumer subscribe(String type, Handler handler, boolean everyReplica) {
        String subject = bus.subjectFor(type);
        String durable = (name + "_" + type + (everyReplica ? "_" + replica : "")).replaceAll("[^A-Za-z0-9_-]", "_");
        ConsumerConfiguration.Builder config = ConsumerConfiguration.builder()
                .filterSubject(subject)
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(Duration.ofSeconds(30))
                .maxAckPending(1000);
        if (everyReplica) {
            // this process's own consumer: from now on (it loads the past itself), gone 10 minutes after the process
            config.name(durable).deliverPolicy(DeliverPolicy.New).inactiveThreshold(Duration.ofMinutes(10));
        } else {
            config.durable(durable).deliverPolicy(DeliverPolicy.All);
        }
        try {
            StreamContext stream = bus.connection().getStreamContext(bus.stream());
            ConsumerContext context = stream.createOrUpdateConsumer(config.build());
            consumers.add(context.consume(PULL, msg -> handle(msg, handler, everyReplica)));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot subscribe " + durable + " to " + subject + ": " + e.getMessage(), e);
        }
        return this;
    }

    private void handle(Message msg, Handler handler, boolean everyReplica) {
        if (closing) {
            return; // not acked: redelivered (to another replica, or to this one once it is back) after ackWait
        }
        inFlight.incrementAndGet();
        try {
            apply(msg, handler, everyReplica);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void apply(Message msg, Handler handler, boolean everyReplica) {
        CloudEvent event;
        try {
            event = Json.read(new String(msg.getData(), StandardCharsets.UTF_8), CloudEvent.class);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, name + ": dropping an event that is not a CloudEvent on " + msg.getSubject());
            msg.term();
            return;
        }
        String requestId = msg.hasHeaders() ? msg.getHeaders().getFirst("X-Request-Id") : null;
        // a consumer span, child of the publisher's (the trace of the request that wrote the event)
        Context parent = msg.hasHeaders() ? Tracing.extract(msg.getHeaders()::getFirst) : Context.root();
        try (Tracing.Traced span = Tracing.start(db.service(), "consume " + event.type(), SpanKind.CONSUMER, parent)) {
            span.attribute("messaging.system", "nats").attribute("messaging.destination.name", msg.getSubject())
                    .attribute("messaging.consumer.group.name", name).attribute("messaging.message.id", String.valueOf(event.id()));
            applyTraced(msg, handler, event, requestId, span, everyReplica);
        }
    }

    private void applyTraced(Message msg, Handler handler, CloudEvent event, String requestId, Tracing.Traced span,
                             boolean everyReplica) {
        try {
            RequestContext.runWith(requestId, () -> db.inTransactionDo(tx -> {
                long fresh = everyReplica ? 1 : tx.insert("INSERT INTO processed_events (consumer, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                        name, event.id());
                if (fresh == 1) {
                    handler.apply(tx, event);
                }
            }));
            msg.ack();
        } catch (RuntimeException e) {
            span.fail(e);
            long delivered = msg.isJetStream() ? msg.metaData().deliveredCount() : 1;
            LOG.log(Level.WARNING, name + ": " + event.type() + " " + event.id() + " failed (attempt " + delivered + "): " + e.getMessage());
            msg.nakWithDelay(Duration.ofMillis(Math.min(30_000, 200L * (1L << Math.min(delivered, 8)))));
        }
    }

    /**
     * Stops asking for messages, lets the events being applied commit and ack (up to 5 s), then closes;
     * a message that still arrives is left unacknowledged for redelivery.
     */
    @Override
    public void close() {
        closing = true;
        for (MessageConsumer consumer : consumers) {
            try {
                consumer.stop();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (MessageConsumer consumer : consumers) {
            try {
                consumer.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        consumers.clear();
    }
}
