package dev.storefront.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The public API as the harness uses it to seed and to check results (not to generate load: that is Gatling). */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();

    record Reply(int status, JsonNode body) {
        JsonNode data() {
            return body.path("data");
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    Api(String base) {
        this.base = base;
    }

    Reply get(String path, String token) {
        return call("GET", path, token, null, null);
    }

    Reply post(String path, String token, Object body) {
        return call("POST", path, token, body, null);
    }

    Reply call(String method, String path, String token, Object body, String idempotencyKey) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                    .header("Accept", "application/json");
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            if (idempotencyKey != null) {
                b.header("Idempotency-Key", idempotencyKey);
            }
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode node = res.body() == null || res.body().isBlank() ? JSON.createObjectNode() : parse(res.body());
            return new Reply(res.statusCode(), node);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("raw", body);
        }
    }

    /** Runs {@code work} on every item with at most {@code concurrency} at a time; returns how many threw. */
    static <T> int parallel(List<T> items, int concurrency, Consumer<T> work) {
        Semaphore permits = new Semaphore(concurrency);
        AtomicInteger failures = new AtomicInteger();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                permits.acquireUninterruptibly();
                executor.submit(() -> {
                    try {
                        work.accept(item);
                    } catch (RuntimeException e) {
                        if (failures.incrementAndGet() <= 3) {
                            System.err.println("bench: " + e.getMessage());
                        }
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        return failures.get();
    }
}
