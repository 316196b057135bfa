package dev.storefront.common.tracing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.storefront.common.ServiceServer;
import dev.storefront.common.web.ErrorHandling;
import dev.storefront.common.web.RequestContext;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kit's tracing: off by default with no exporter thread, on with an endpoint, W3C context in and out. */
@Isolated // tracing is per process: no other test class runs while this one turns it on
class TracingTest {
    @AfterEach
    void off() {
        Tracing.off();
        // a shut-down worker leaves its loop within its schedule delay: each test starts without one
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> exporterThreads().isEmpty());
    }

    private static Config config(Map<String, String> values) {
        return Config.just(ConfigSources.create(values));
    }

    private static List<Thread> exporterThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("BatchSpanProcessor") || t.getName().contains("OkHttp")
                        || t.getName().startsWith("otlp"))
                .toList();
    }

    @Test
    void offByDefaultStartsNoExporterThreadAndPropagatesNothing() {
        Tracing.configure(config(Map.of("storefront.db.user", "postgres")));
        assertThat(Tracing.enabled()).isFalse();
        assertThat(exporterThreads()).isEmpty();
        Map<String, String> headers = new HashMap<>();
        try (Tracing.Traced span = Tracing.span("work", SpanKind.INTERNAL, "cart")) {
            Tracing.inject(headers::put);
            assertThat(Tracing.traceparent()).isNull();
            assertThat(Tracing.traceId()).isNull();
        }
        assertThat(headers).isEmpty();
        assertThat(exporterThreads()).isEmpty();
    }

    @Test
    void anEndpointTurnsItOnWithOneExporterThreadThatEndsWhenItIsTurnedOff() {
        Tracing.configure(config(Map.of(Tracing.ENDPOINT_KEY, "http://127.0.0.1:9", Tracing.RATIO_KEY, "0.5")));
        assertThat(Tracing.enabled()).isTrue();
        assertThat(exporterThreads()).hasSize(1);
        Tracing.off();
        assertThat(Tracing.enabled()).isFalse();
        // the worker leaves its loop once shut down: give it a moment to end
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(exporterThreads()).isEmpty());
    }

    @Test
    void aSamplingRatioOutsideZeroToOneIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> Tracing.configure(config(Map.of(Tracing.ENDPOINT_KEY, "http://127.0.0.1:9", Tracing.RATIO_KEY, "2"))))
                .hasMessageContaining(Tracing.RATIO_KEY);
        assertThatThrownBy(() -> Tracing.configure(config(Map.of(Tracing.ENDPOINT_KEY, "http://127.0.0.1:9", Tracing.RATIO_KEY, "most"))))
                .hasMessageContaining(Tracing.RATIO_KEY);
        assertThat(Tracing.enabled()).isFalse();
        assertThat(Tracing.tracesUrl("http://collector:4318/")).isEqualTo("http://collector:4318/v1/traces");
        assertThat(Tracing.tracesUrl("http://collector:4318/v1/traces")).isEqualTo("http://collector:4318/v1/traces");
    }

    @Test
    void aRequestSpanContinuesTheCallersTraceIsNamedAfterItsRouteAndItsTraceIdIsTheRequestId() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        Tracing.exportTo(spans);
        Map<String, String> seen = new HashMap<>();
        HttpRouting.Builder routing = HttpRouting.builder();
        routing.addFilter(ServerTracing.filter(path -> "catalog"));
        ErrorHandling.install(routing);
        routing.get("/api/things/{id}", (req, res) -> {
            seen.put("requestId", RequestContext.requestId());
            seen.put("logTraceId", RequestContext.traceId());
            Tracing.inject(seen::put);
            Tracing.inSpan("inner", SpanKind.INTERNAL, null, () -> "done");
            res.send("ok");
        });
        WebServer server = ServiceServer.startAlone(WebServer.builder().port(0).host("127.0.0.1").routing(routing));
        try {
            String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
            String callerSpan = "00f067aa0ba902b7";
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.port() + "/api/things/abc-123"))
                    .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01").header("X-Request-Id", "client-chosen").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("X-Request-Id")).contains(traceId);

            // the server span ends after the answer's last byte has left, so the client may read it first
            SpanData request = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == io.opentelemetry.api.trace.SpanKind.SERVER)
                            .findFirst(), java.util.Optional::isPresent).orElseThrow();
            assertThat(request.getName()).isEqualTo("GET /api/things/{id}");
            assertThat(request.getTraceId()).isEqualTo(traceId);
            assertThat(request.getParentSpanId()).isEqualTo(callerSpan);
            assertThat(request.getResource().getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name")))
                    .isEqualTo("catalog");
            SpanData inner = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("inner")).findFirst().orElseThrow();
            assertThat(inner.getParentSpanId()).isEqualTo(request.getSpanId());
            assertThat(seen).containsEntry("requestId", traceId).containsEntry("logTraceId", traceId);
            assertThat(seen.get("traceparent")).isEqualTo("00-" + traceId + "-" + request.getSpanId() + "-01");
        } finally {
            server.stop();
        }
    }

    @Test
    void aStoredTraceparentIsTheParentOfTheNextSpan() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        Tracing.exportTo(spans);
        String stored;
        try (Tracing.Traced span = Tracing.start("order", "write", SpanKind.SERVER, io.opentelemetry.context.Context.root())) {
            stored = Tracing.traceparent();
        }
        try (Tracing.Traced span = Tracing.start("notify", "consume", SpanKind.CONSUMER, Tracing.fromTraceparent(stored))) {
            assertThat(Tracing.currentService()).isEqualTo("notify");
        }
        List<SpanData> done = spans.getFinishedSpanItems();
        assertThat(done).hasSize(2);
        assertThat(done.get(1).getTraceId()).isEqualTo(done.get(0).getTraceId());
        assertThat(done.get(1).getParentSpanId()).isEqualTo(done.get(0).getSpanId());
    }

    @Test
    void spansGoOverOtlpToTheConfiguredEndpoint() throws Exception {
        try (dev.storefront.common.testing.OtlpReceiver receiver = new dev.storefront.common.testing.OtlpReceiver()) {
            Tracing.configure(config(Map.of(Tracing.ENDPOINT_KEY, receiver.endpoint())));
            String traceId;
            try (Tracing.Traced span = Tracing.start("cart", "GET /api/cart", SpanKind.SERVER, io.opentelemetry.context.Context.root())) {
                traceId = Tracing.traceId();
            }
            Tracing.flush();
            assertThat(receiver.spans()).extracting(dev.storefront.common.testing.Traces.TraceSpan::toString, t -> t.traceId())
                    .contains(org.assertj.core.groups.Tuple.tuple("cart:GET /api/cart", traceId));
        }
    }
}
