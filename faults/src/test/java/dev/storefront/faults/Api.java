package dev.storefront.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.web.Json;

/**
 * A raw HTTP client for hostile tests: any method, any bytes, any headers (repeated ones too), and
 * a reply that keeps the body as text so a test can look for stack traces or SQL in it.
 */
final class Api {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    private final String base;
    private final Duration timeout;
    private final List<String[]> defaultHeaders = new ArrayList<>();

    Api(String base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
    }

    /** A header sent on every request (e.g. this test class's X-Forwarded-For). */
    Api withHeader(String name, String value) {
        Api copy = new Api(base, timeout);
        copy.defaultHeaders.addAll(defaultHeaders);
        copy.defaultHeaders.add(new String[] {name, value});
        return copy;
    }

    String base() {
        return base;
    }

    record Reply(int status, HttpHeaders headers, String text, JsonNode json) {
        JsonNode data() {
            return json.path("data");
        }

        String errorCode() {
            return json.path("error").path("code").asText();
        }

        String header(String name) {
            return headers == null ? null : headers.firstValue(name).orElse(null);
        }

        /** A proper error envelope: success false, a code, a message and a request id. */
        boolean isErrorEnvelope() {
            return json.path("success").isBoolean() && !json.path("success").asBoolean()
                    && json.path("error").path("code").isTextual() && json.path("error").path("message").isTextual();
        }

        @Override
        public String toString() {
            return status + " " + (text.length() > 400 ? text.substring(0, 400) + "…" : text);
        }
    }

    Reply get(String path, String token) {
        return send("GET", path, token, null, List.of());
    }

    Reply json(String method, String path, String token, Object body) {
        return send(method, path, token, body == null ? null : Json.writeBytes(body),
                body == null ? List.<String[]>of() : List.<String[]>of(new String[] {"Content-Type", "application/json"}));
    }

    Reply json(String method, String path, String token, Object body, Map<String, String> headers) {
        List<String[]> all = new ArrayList<>();
        if (body != null) {
            all.add(new String[] {"Content-Type", "application/json"});
        }
        headers.forEach((k, v) -> all.add(new String[] {k, v}));
        return send(method, path, token, body == null ? null : Json.writeBytes(body), all);
    }

    /** Sends {@code body} exactly as given, with exactly these headers (a name may repeat). */
    Reply send(String method, String path, String token, byte[] body, List<String[]> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
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
            HttpResponse<byte[]> response = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            String text = new String(response.body(), StandardCharsets.UTF_8);
            JsonNode json;
            try {
                json = text.isEmpty() ? Json.mapper().createObjectNode() : Json.mapper().readTree(text);
            } catch (IOException e) {
                json = Json.mapper().createObjectNode();
            }
            return new Reply(response.statusCode(), response.headers(), text, json == null ? Json.mapper().createObjectNode() : json);
        } catch (IOException e) {
            throw new TransportFailure(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportFailure("interrupted", e);
        }
    }

    /** No HTTP answer at all (refused, reset, timed out). */
    static final class TransportFailure extends RuntimeException {
        TransportFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
