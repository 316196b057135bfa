package dev.storefront.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.common.testing.OtlpReceiver;
import dev.storefront.common.testing.TestEnv;
import dev.storefront.common.testing.TestHttp;
import dev.storefront.common.testing.Traces;
import dev.storefront.common.testing.Traces.TraceSpan;
import dev.storefront.common.tracing.Tracing;
import dev.storefront.launcher.SplitPlatform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.parallel.ResourceLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Split mode: every service in its own JVM exports over OTLP to a receiver this test starts, and one
 * checkout through the gateway is one trace rooted at the gateway, across checkout, order, inventory,
 * payment and, through the outbox and NATS, notify's mail, with no span whose parent is missing.
 */
@ResourceLock("split-platform")
@Isolated // the gateway traces in this JVM: tracing is per process
class SplitTracingTest {
    @Test
    void aCheckoutThroughTheGatewayIsOneTraceAcrossTheServiceJvms() throws Exception {
        int offset = Ports.freeSplitOffset();
        Path logs = JsonLogs.clear(offset);
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Shop shop = new Shop(TestEnv.PG_HOST, TestEnv.NATS_URL, Shop.underLoad(Map.of(
                    Tracing.ENDPOINT_KEY, receiver.endpoint(), Tracing.RATIO_KEY, "1")));
            System.setProperty("storefront.split.start-timeout-ms", "240000");
            System.setProperty("storefront.split.classpath", FaultInjectionTest.privateClasspath());
            System.setProperty("storefront.aot-cache", "off");
            SplitPlatform platform = null;
            Thread reaper = new Thread(() -> { });
            List<String> nonJson;
            try {
                platform = SplitPlatform.start(shop.settings, offset);
                reaper = new Thread(platform::close);
                Runtime.getRuntime().addShutdownHook(reaper);
                shop.connect(platform.port(), Duration.ofSeconds(20));
                String admin = shop.admin().accessToken();
                String product = shop.newProduct(admin, admin, "Traced split item " + shop.id, "7.50", 5);
                Shop.Session shopper = shop.newUser("Tracy Split", "customer");
                assertThat(shop.api.json("POST", "/api/cart/add", shopper.accessToken(), Map.of("productId", product, "quantity", 1))
                        .status()).isEqualTo(200);
                String key = "split-traced-" + UUID.randomUUID();
                TestHttp.Reply done = shop.api.json("POST", "/api/checkout", shopper.accessToken(),
                        Map.of("shippingAddress", Shop.address("Tracy Split"), "paymentMethod", "pm_card_visa"),
                        Map.of("Idempotency-Key", key));
                assertThat(done.status()).as(done.toString()).isIn(200, 201);
                String traceId = done.header("X-Request-Id");
                assertThat(traceId).matches("[0-9a-f]{32}");

                List<String> expected = List.of(
                        "gateway:POST /api/checkout", "checkout:POST /api/checkout",
                        "checkout:saga CREATE_ORDER", "order:POST /internal/orders",
                        "checkout:saga RESERVE_STOCK", "inventory:POST /internal/inventory/reserve",
                        "checkout:saga CHARGE", "payment:POST /internal/payments/charge", "payment:payment charge",
                        "order:PUT /internal/orders/{id}/status", "order:publish storefront.order.confirmed",
                        "notify:consume storefront.order.confirmed", "notify:mail order-confirmed");
                // each JVM exports in batches (every 5 s)
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                        assertThat(Traces.names(Traces.inTrace(receiver.spans(), traceId))).containsAll(expected));
                Thread.sleep(6_000); // one more export round: the spans that ended last are in
                List<TraceSpan> trace = Traces.inTrace(receiver.spans(), traceId);
                Traces.assertNoOrphans(trace, "gateway", "POST /api/checkout");
                System.out.println("SPLIT TRACE " + traceId + ": " + trace.size() + " spans " + Traces.names(trace));
            } finally {
                nonJson = JsonLogs.stopThenReport(platform, reaper, logs);
                Tracing.off();
                shop.dropDatabases();
                shop.deleteStream();
            }
            assertThat(nonJson).as("log lines that are not JSON objects (in " + logs + ")").isEmpty();
        }
    }
}
