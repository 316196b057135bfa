package dev.storefront.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.testing.TestEnv;
import dev.storefront.common.web.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service process started the way a cluster starts it: before its database exists (the operator
 * creates it later) and not allowed to create it. It waits, says so in one JSON line per attempt, becomes
 * ready once the database is there, and stops on SIGTERM; with nothing to wait for it gives up in time.
 */
class ServiceStartupTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aServiceStartedBeforeItsDatabaseExistsWaitsThenBecomesReadyAndStopsOnSigterm() throws Exception {
        String id = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36);
        String database = "sfw_" + id + "_cart";
        int port = freePort();
        Started cart = start(id, database, port, "120000");
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> cart.count("Waiting for PostgreSQL") >= 2);
            assertThat(ready(port)).isFalse();
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + TestEnv.PG_HOST + "/postgres", "postgres", "");
                 var st = c.createStatement()) {
                st.execute("CREATE DATABASE " + database);
            }
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> ready(port));
            assertThat(cart.count("cart ready on port " + port)).isEqualTo(1);

            long stopping = System.nanoTime();
            // SIGTERM; Process.destroy() would also close our end of its output pipe and lose its last lines
            assertThat(cart.process.toHandle().destroy()).isTrue();
            assertThat(cart.process.waitFor(30, TimeUnit.SECONDS)).as("stopped within the bound").isTrue();
            System.out.println("ServiceStartupTest: cart stopped in " + (System.nanoTime() - stopping) / 1_000_000
                    + " ms with exit code " + cart.process.exitValue());
            assertThat(cart.process.exitValue()).isZero();
            cart.reader.join(5_000);
            assertThat(cart.count("cart stopped in")).as("the process's lines: %s", cart.lines()).isEqualTo(1);
            cart.assertEveryLineIsJson();
        } finally {
            cart.process.destroyForcibly();
            dropDatabase(database);
            deleteStream("W" + id.toUpperCase());
        }
    }

    @Test
    void aServiceGivesUpWaitingAfterItsBoundAndExitsNonZero() throws Exception {
        String id = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36);
        Started cart = start(id, "sfw_" + id + "_never", freePort(), "2000");
        try {
            assertThat(cart.process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(cart.process.exitValue()).isEqualTo(1);
            cart.reader.join(5_000);
            assertThat(cart.count("Gave up waiting for PostgreSQL")).isEqualTo(1);
            cart.assertEveryLineIsJson();
        } finally {
            cart.process.destroyForcibly();
        }
    }

    private record Started(Process process, List<String> lines, Thread reader) {
        long count(String text) {
            synchronized (lines) {
                return lines.stream().filter(line -> line.contains(text)).count();
            }
        }

        void assertEveryLineIsJson() {
            synchronized (lines) {
                assertThat(lines).isNotEmpty();
                for (String line : lines) {
                    JsonNode json = Json.read(line, JsonNode.class);
                    assertThat(json.isObject()).as(line).isTrue();
                    assertThat(json.path("level").asText()).as(line).isNotEmpty();
                    assertThat(json.path("message").asText()).as(line).isNotEmpty();
                }
            }
        }
    }

    private static Started start(String id, String database, int port, String waitMs) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.storefront.cart.Main");
        Map<String, String> env = builder.environment();
        env.put("SERVER_PORT", String.valueOf(port));
        env.put("STOREFRONT_DB_URL", "jdbc:postgresql://" + TestEnv.PG_HOST + "/" + database);
        env.put("STOREFRONT_DB_USER", "postgres");
        env.put("STOREFRONT_DB_PASSWORD", "");
        env.put("STOREFRONT_DB_CREATE_DASH_DATABASE", "false"); // as in a cluster: the operator creates it
        env.put("NATS_URL", TestEnv.NATS_URL);
        env.put("STOREFRONT_EVENTS_STREAM", "W" + id.toUpperCase());
        env.put("STOREFRONT_EVENTS_SUBJECT_DASH_PREFIX", "w" + id);
        env.put("STOREFRONT_STARTUP_WAIT_DASH_MS", waitMs);
        env.put("STOREFRONT_SHUTDOWN_DRAIN_DASH_MS", "500");
        builder.redirectErrorStream(true);
        Process process = builder.start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (!line.isBlank()) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // the process went away
            }
        });
        return new Started(process, lines, reader);
    }

    private static boolean ready(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void dropDatabase(String database) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + TestEnv.PG_HOST + "/postgres", "postgres", "");
             var st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (Exception ignored) {
            // best effort
        }
    }

    private static void deleteStream(String stream) {
        try (var nats = io.nats.client.Nats.connect(TestEnv.NATS_URL)) {
            nats.jetStreamManagement().deleteStream(stream);
        } catch (Exception ignored) {
            // never created
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
