package dev.storefront.common;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.common.testing.Scrape;
import dev.storefront.common.testing.TestEnv;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The names and labels a service's /observe/metrics really exposes, which the chart's PrometheusRule alerts on
 * (charts/storefront-operator/templates/prometheusrule.yaml): requests by route and status, the outbox backlog; and
 * that the outbox gauges the dashboard plots move with the outbox.
 */
class MetricNamesTest {
    private static final TestEnv ENV = new TestEnv();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static ServiceContext ctx;
    private static WebServer server;

    @BeforeAll
    static void start() {
        ctx = ENV.context("order");
        ServiceModule module = new ServiceModule() {
            @Override
            public String name() {
                return "order";
            }

            @Override
            public ServiceContext context() {
                return ctx;
            }

            @Override
            public void routing(HttpRouting.Builder routing) {
                routing.get("/api/orders/ping", (req, res) -> res.send("pong"));
            }

            @Override
            public void close() {
                ctx.close();
            }
        };
        server = ServiceServer.start(ENV.config("order"), 0, List.of(module));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        ctx.close();
        ENV.close();
    }

    @Test
    void requestsAndTheOutboxBacklogAreExportedUnderTheNamesTheAlertsUse() throws Exception {
        assertThat(get("/api/orders/ping").statusCode()).isEqualTo(200);
        // counters (checkout's storefront_checkout_sagas and its recovery counters) get Prometheus's _total suffix
        io.helidon.metrics.api.Metrics.globalRegistry().getOrCreate(
                io.helidon.metrics.api.Counter.builder("storefront_test_counted")).increment();
        String metrics = get("/observe/metrics").body();
        var lines = metrics.lines().filter(l -> l.startsWith("storefront_")).toList();
        System.out.println(String.join("\n", lines));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("storefront_http_requests_seconds_count{")
                .contains("route=\"/api/orders\"").contains("status=\"200\"").contains("method=\"GET\""));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("storefront_outbox_pending{")
                .contains("service=\"order\"").endsWith(" 0.0"));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("storefront_outbox_lag_seconds{")
                .contains("service=\"order\"").endsWith(" 0.0"));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("storefront_test_counted_total{").endsWith(" 1.0"));
    }

    @Test
    void anUnpublishedOutboxRowShowsInTheBacklogAndItsAgeAsTheRelayLag() throws Exception {
        String order = "service=\"order\"";
        try (Connection writer = ENV.jdbc("order"); Connection holder = ENV.jdbc("order")) {
            // holding the row's lock keeps the running relay from publishing it (it skips locked rows); the relay may
            // still publish a row between its insert and the lock, so a few fresh rows are tried
            holder.setAutoCommit(false);
            UUID id = null;
            boolean held = false;
            for (int attempt = 0; attempt < 5 && !held; attempt++) {
                id = UUID.randomUUID();
                try (PreparedStatement insert = writer.prepareStatement("INSERT INTO outbox (id, type, envelope, created_at) "
                        + "VALUES (?, 'storefront.test.lagging', '{}', now() - interval '90 seconds')")) {
                    insert.setObject(1, id);
                    insert.executeUpdate();
                }
                try (PreparedStatement lock = holder.prepareStatement("SELECT id FROM outbox WHERE id = ? FOR UPDATE")) {
                    lock.setObject(1, id);
                    held = lock.executeQuery().next();
                }
            }
            assertThat(held).as("the row is still unpublished").isTrue();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String scrape = get("/observe/metrics").body();
                assertThat(Scrape.value(scrape, "storefront_outbox_lag_seconds", Map.of("service", "order")).orElse(-1))
                        .as(order + " lag").isBetween(90.0, 200.0);
                assertThat(Scrape.value(scrape, "storefront_outbox_pending", Map.of("service", "order")).orElse(-1))
                        .as(order + " pending").isGreaterThanOrEqualTo(1.0);
            });
            try (PreparedStatement delete = holder.prepareStatement("DELETE FROM outbox WHERE id = ?")) {
                delete.setObject(1, id);
                delete.executeUpdate();
            }
            holder.commit();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String scrape = get("/observe/metrics").body();
            assertThat(Scrape.value(scrape, "storefront_outbox_lag_seconds", Map.of("service", "order"))).as("no row waits")
                    .hasValue(0.0);
            assertThat(Scrape.value(scrape, "storefront_outbox_pending", Map.of("service", "order"))).hasValue(0.0);
        });
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
