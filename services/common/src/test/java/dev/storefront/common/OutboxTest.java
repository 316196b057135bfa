package dev.storefront.common;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.events.EventConsumer;
import dev.storefront.common.events.OutboxRelay;
import dev.storefront.common.testing.TestEnv;
import dev.storefront.common.web.Json;
import io.nats.client.PublishOptions;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The transactional outbox against real PostgreSQL and real NATS JetStream. */
class OutboxTest {
    private static final TestEnv ENV = new TestEnv();
    private static ServiceContext ctx;

    @BeforeAll
    static void start() throws Exception {
        ctx = ENV.context("kit");
        try (Connection c = ENV.jdbc("kit"); var st = c.createStatement()) {
            st.execute("CREATE TABLE applied (event_id uuid, note text)");
        }
    }

    @AfterAll
    static void stop() {
        ctx.close();
        ENV.close();
    }

    private long streamMessages() throws Exception {
        return ctx.bus().connection().jetStreamManagement().getStreamInfo(ctx.bus().stream()).getStreamState().getMsgCount();
    }

    private long outboxRows() {
        return dev.storefront.common.db.Database.count(ctx.db().execute(), "SELECT count(*) FROM outbox");
    }

    @Test
    void rolledBackEventIsNeverPublishedAndCommittedOneIsPublishedOnceDespiteARelayCrash() throws Exception {
        OutboxRelay relay = new OutboxRelay(ctx.db(), ctx.bus());
        long before = streamMessages();

        assertThatThrownBy(() -> ctx.db().inTransactionDo(tx -> {
            ctx.outbox().append(tx, "storefront.test.rolled_back", Map.of("n", 1));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(outboxRows()).isZero();

        CloudEvent event = ctx.db().inTransaction(tx -> ctx.outbox().append(tx, "storefront.test.committed", Map.of("n", 2)));
        // the relay "crashed" after publishing but before deleting: the message is already in the stream
        ctx.bus().jetStream().publish(NatsMessage.builder().subject(ctx.bus().subjectFor(event.type()))
                        .data(Json.write(event).getBytes(StandardCharsets.UTF_8)).build(),
                PublishOptions.builder().messageId(event.id().toString()).build());
        // a restarted relay publishes the row again; JetStream drops the duplicate
        assertThat(relay.publishBatch()).isEqualTo(1);
        assertThat(relay.publishBatch()).isZero();
        assertThat(outboxRows()).isZero();
        assertThat(streamMessages() - before).isEqualTo(1);
        relay.close();
    }

    @Test
    void onlyACommitThatAppendedAnEventWakesTheRelay() {
        // a relay woken by its own commits polled PostgreSQL in a tight loop: 8 relays kept 2 cores busy when idle
        AtomicInteger wakes = new AtomicInteger();
        ctx.db().onCommit(wakes::incrementAndGet);
        OutboxRelay relay = new OutboxRelay(ctx.db(), ctx.bus());

        ctx.db().inTransactionDo(tx -> tx.insert("INSERT INTO applied (event_id, note) VALUES (gen_random_uuid(), 'no event')"));
        relay.publishBatch();
        assertThat(wakes).hasValue(0);

        ctx.db().inTransactionDo(tx -> ctx.outbox().append(tx, "storefront.test.wakes", Map.of("n", 3)));
        assertThat(wakes).hasValue(1);
        assertThat(relay.publishBatch()).isEqualTo(1); // its own commit, after publishing, wakes nobody
        assertThat(wakes).hasValue(1);
        relay.close();
    }

    @Test
    void consumerAppliesARedeliveredEventOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        EventConsumer consumer = new EventConsumer(ctx.db(), ctx.bus(), "kit-test").on("storefront.test.once", (tx, e) -> {
            calls.incrementAndGet();
            tx.insert("INSERT INTO applied (event_id, note) VALUES (?, ?)", e.id(), e.data().path("note").asText());
        });
        CloudEvent event = CloudEvent.of("kit", "storefront.test.once", Map.of("note", "hello"));
        byte[] bytes = Json.write(event).getBytes(StandardCharsets.UTF_8);
        // the same event id arrives twice (different message ids, so JetStream keeps both)
        ctx.bus().jetStream().publish(NatsMessage.builder().subject(ctx.bus().subjectFor(event.type())).data(bytes).build());
        ctx.bus().jetStream().publish(NatsMessage.builder().subject(ctx.bus().subjectFor(event.type())).data(bytes).build());

        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 1
                && dev.storefront.common.db.Database.count(ctx.db().execute(),
                "SELECT count(*) FROM processed_events WHERE consumer = 'kit-test'") == 1);
        Thread.sleep(500);
        assertThat(dev.storefront.common.db.Database.count(ctx.db().execute(), "SELECT count(*) FROM applied WHERE event_id = ?", event.id()))
                .isEqualTo(1);
        consumer.close();
    }
}
