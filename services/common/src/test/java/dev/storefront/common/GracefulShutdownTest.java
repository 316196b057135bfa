package dev.storefront.common;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The stop every process makes: readiness DOWN, drain, listener closed after in-flight requests, resources in order. */
class GracefulShutdownTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void readinessGoesDownAtOnceRequestsInProgressFinishAndResourcesCloseInOrderWithinTheBound() throws Exception {
        GracefulShutdown shutdown = GracefulShutdown.from("test", Config.just(ConfigSources.create(Map.of(
                "storefront.shutdown.drain-ms", "1500", "storefront.shutdown.timeout-ms", "10000"))));
        WebServer server = WebServer.builder().port(0).host("127.0.0.1")
                .shutdownGracePeriod(Duration.ofSeconds(5))
                .addFeature(ObserveFeature.builder()
                        .addObserver(HealthObserver.builder().details(true).addCheck(shutdown.readinessCheck()).build()).build())
                .routing(r -> r.addFilter(shutdown.closeConnectionsWhileStopping()).get("/fast", (req, res) -> res.send("fast"))
                        .get("/slow", (req, res) -> {
                            Thread.sleep(4_000);
                            res.send("slow");
                        }))
                .build().start();
        int port = server.port();
        List<String> closed = new CopyOnWriteArrayList<>();
        shutdown.server(server).then(() -> closed.add("jobs")).then(() -> closed.add("pool"));
        assertThat(status(port, "/observe/health/ready")).isEqualTo(200);

        CompletableFuture<HttpResponse<String>> slow = HTTP.sendAsync(request(port, "/slow"), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(200); // the slow request is in progress
        long started = System.nanoTime();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> shutdown.stop("test"));
        Thread.sleep(200);

        assertThat(shutdown.draining()).isTrue();
        assertThat(status(port, "/observe/health/ready")).isEqualTo(503); // load balancers stop sending
        assertThat(status(port, "/fast")).isEqualTo(200); // but what still arrives is served during the drain
        assertThat(closed).isEmpty();

        // past the drain, the slow request still running: a newcomer is told to come back
        HttpResponse<String> refused = await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> HTTP.send(request(port, "/fast"), HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 503);
        assertThat(slow.isDone()).as("the slow request is still in progress").isFalse();
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.body()).contains("DEPENDENCY_UNAVAILABLE");

        assertThat(slow.get().statusCode()).isEqualTo(200);
        assertThat(slow.get().body()).isEqualTo("slow");
        stopping.get();
        System.out.println("GracefulShutdownTest: stop took " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        // the drain, then no wait beyond the slow request: its connection closes after its answer
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1_500)).isLessThan(Duration.ofMillis(6_500));
        assertThat(closed).containsExactly("jobs", "pool");
        assertThatThrownBy(() -> status(port, "/fast")).isInstanceOf(IOException.class);

        shutdown.stop("again"); // once only
        assertThat(closed).hasSize(2);
    }

    private static HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build();
    }

    private static int status(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
