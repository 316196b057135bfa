package dev.storefront.launcher;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.storefront.common.testing.TestHttp;
import dev.storefront.common.testing.Traces;
import dev.storefront.common.testing.Traces.TraceSpan;
import dev.storefront.common.tracing.Tracing;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One checkout in the one-process launcher is one trace: checkout's request, its saga steps, order,
 * inventory and payment (with the provider call), and through the outbox and NATS, notify's consumer,
 * the mail it makes and the SMTP hand-over. Spans go to an in-memory exporter.
 */
@Isolated // tracing is per process: no other test class runs while it is on
class TracedCheckoutTest {
    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static GreenMail smtp;
    private static PlatformFixture shop;

    @BeforeAll
    static void start() {
        Tracing.exportTo(SPANS);
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        shop = new PlatformFixture(false, Map.of(
                "storefront.mail.host", "127.0.0.1",
                "storefront.mail.port", String.valueOf(smtp.getSmtp().getPort()),
                "storefront.mail.from", "shop@storefront.local",
                "storefront.mail.retry.poll-ms", "200"));
    }

    @AfterAll
    static void stop() {
        if (shop != null) {
            shop.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        Tracing.off();
    }

    @Test
    void aCheckoutIsOneTraceFromTheRequestToTheMail() {
        String admin = shop.adminToken();
        String product = shop.newProduct(admin, "Traced Kettle " + UUID.randomUUID(), "12.00", 5);
        String shopper = shop.newShopper("Tracy Traced");
        assertThat(shop.http.post("/api/cart/add", shopper, Map.of("productId", product, "quantity", 1)).status()).isEqualTo(200);

        TestHttp.Reply done = shop.checkout(shopper, "traced-" + UUID.randomUUID(), "pm_card_visa");
        assertThat(done.status()).as(done.toString()).isIn(200, 201);
        String traceId = done.header("X-Request-Id"); // the request id is the trace id
        assertThat(traceId).matches("[0-9a-f]{32}");

        List<String> expected = List.of(
                "checkout:POST /api/checkout",
                "checkout:saga CREATE_ORDER", "checkout:POST order", "order:POST /internal/orders",
                "checkout:saga RESERVE_STOCK", "inventory:POST /internal/inventory/reserve",
                "checkout:saga CHARGE", "payment:POST /internal/payments/charge", "payment:payment charge",
                "checkout:saga CONFIRM_ORDER", "order:PUT /internal/orders/{id}/status",
                "order:publish storefront.order.confirmed",
                "notify:consume storefront.order.confirmed", "notify:mail order-confirmed", "notify:smtp send");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Traces.names(trace(traceId))).containsAll(expected));
        List<TraceSpan> trace = trace(traceId);
        Traces.assertNoOrphans(trace, "checkout", "POST /api/checkout");
        // the mail hangs under notify's consumer, which hangs under order's publish
        TraceSpan consume = only(trace, "notify:consume storefront.order.confirmed");
        assertThat(only(trace, "order:publish storefront.order.confirmed").spanId()).isEqualTo(consume.parentSpanId());
        assertThat(only(trace, "notify:mail order-confirmed").parentSpanId()).isEqualTo(consume.spanId());
    }

    private static List<TraceSpan> trace(String traceId) {
        return Traces.inTrace(SPANS.getFinishedSpanItems().stream().map(Traces::of).toList(), traceId);
    }

    private static TraceSpan only(List<TraceSpan> trace, String name) {
        List<TraceSpan> found = trace.stream().filter(s -> s.toString().equals(name)).toList();
        assertThat(found).as(name).hasSize(1);
        return found.getFirst();
    }
}
