package dev.storefront.common.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.web.Json;

/**
 * The HTTP client of the tests: sends JSON (or any bytes with any headers, repeated ones too, for
 * hostile tests) and returns status, headers, the body as text and the parsed envelope.
 */
public final class TestHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    private final Supplier<String> base;
    private final Duration timeout;
    private final List<String[]> defaultHeaders = new ArrayList<>();
    private Duration patience = Duration.ZERO;

    public TestHttp(String base, Duration timeout) {
        this(() -> base, timeout);
    }

    /** A client of a server whose address is known later (a fixture's, before it started). */
    TestHttp(Supplier<String> base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
    }

    public TestHttp(String base) {
        this(base, Duration.ofSeconds(30));
    }

    public TestHttp(int port) {
        this("http://127.0.0.1:" + port);
    }

    /** A copy that sends this header on every request (e.g. a test class's own X-Forwarded-For). */
    public TestHttp withHeader(String name, String value) {
        TestHttp copy = copy();
        copy.defaultHeaders.add(new String[] {name, value});
        return copy;
    }

    /**
     * A copy that sends a request again, every half second for up to {@code patience}, while it gets no
     * answer or a 5xx (a platform that just started, or whose dependency is not ready yet).
     */
    public TestHttp patient(Duration patience) {
        TestHttp copy = copy();
        copy.patience = patience;
        return copy;
    }

    private TestHttp copy() {
        TestHttp copy = new TestHttp(base, timeout);
        copy.defaultHeaders.addAll(defaultHeaders);
        copy.patience = patience;
        return copy;
    }

    public String base() {
        return base.get();
    }

    /** An answer: {@link #body()} is the parsed JSON (an empty object when there is none or it is not JSON). */
    public record Reply(int status, JsonNode body, HttpResponse<String> raw) {
        public JsonNode data() {
            return body.path("data");
        }

        public JsonNode json() {
            return body;
        }

        public String text() {
            return raw.body();
        }

        public HttpHeaders headers() {
            return raw.headers();
        }

        public String errorCode() {
            return body.path("error").path("code").asText();
        }

        public String firstErrorField() {
            return body.path("error").path("details").path(0).path("field").asText();
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** A proper error envelope: success false, a code, a message and a request id. */
        public boolean isErrorEnvelope() {
            return body.path("success").isBoolean() && !body.path("success").asBoolean()
                    && body.path("error").path("code").isTextual() && body.path("error").path("message").isTextual();
        }

        @Override
        public String toString() {
            String text = raw.body();
            return status + " " + (text.length() > 2000 ? text.substring(0, 2000) + "…" : text);
        }
    }

    /** No HTTP answer at all (refused, reset, timed out). */
    public static final class TransportFailure extends IllegalStateException {
        TransportFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public Reply get(String path, String token) {
        return send("GET", path, token, null, Map.of());
    }

    public Reply delete(String path, String token) {
        return send("DELETE", path, token, null, Map.of());
    }

    public Reply post(String path, String token, Object body) {
        return send("POST", path, token, body, Map.of());
    }

    public Reply put(String path, String token, Object body) {
        return send("PUT", path, token, body, Map.of());
    }

    /** Sends {@code body} (an object as JSON, a String as is) with extra headers. */
    public Reply send(String method, String path, String token, Object body, Map<String, String> headers) {
        List<String[]> all = new ArrayList<>();
        boolean hasType = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"));
        if (body != null && !hasType) {
            all.add(new String[] {"Content-Type", "application/json"});
        }
        headers.forEach((k, v) -> all.add(new String[] {k, v}));
        byte[] bytes = body == null ? null : body instanceof String s ? s.getBytes(java.nio.charset.StandardCharsets.UTF_8) : Json.writeBytes(body);
        return send(method, path, token, bytes, all);
    }

    /** Sends {@code body} as JSON (a String too: as a JSON string), with extra headers. */
    public Reply json(String method, String path, String token, Object body, Map<String, String> headers) {
        List<String[]> all = new ArrayList<>();
        if (body != null) {
            all.add(new String[] {"Content-Type", "application/json"});
        }
        headers.forEach((k, v) -> all.add(new String[] {k, v}));
        return send(method, path, token, body == null ? null : Json.writeBytes(body), all);
    }

    public Reply json(String method, String path, String token, Object body) {
        return json(method, path, token, body, Map.of());
    }

    /** Sends {@code body} exactly as given, with exactly these headers (a name may repeat). */
    public Reply send(String method, String path, String token, byte[] body, List<String[]> headers) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                Reply reply = sendOnce(method, path, token, body, headers);
                if (reply.status() < 500 || System.nanoTime() > deadline) {
                    return reply;
                }
            } catch (TransportFailure e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransportFailure("interrupted", e);
            }
        }
    }

    private Reply sendOnce(String method, String path, String token, byte[] body, List<String[]> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(timeout);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (String[] h : defaultHeaders) {
            b.header(h[0], h[1]);
        }
        for (String[] h : headers) {
            b.header(h[0], h[1]);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> response = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = response.body().isEmpty() ? null : Json.mapper().readTree(response.body());
            } catch (IOException e) {
                json = null;
            }
            return new Reply(response.statusCode(), json == null ? Json.mapper().createObjectNode() : json, response);
        } catch (IOException e) {
            throw new TransportFailure(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportFailure("interrupted", e);
        }
    }
}
