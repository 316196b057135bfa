package dev.storefront.common.http;

import java.lang.System.Logger.Level;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.tracing.Tracing;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.ErrorCode;
import dev.storefront.common.web.FieldError;
import dev.storefront.common.web.Json;
import dev.storefront.common.web.RequestContext;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.opentelemetry.api.trace.SpanKind;

/**
 * Calls another service's routes: a service token on every call, the request id forwarded,
 * connect and read timeouts, and bounded retries with back-off when the call is idempotent
 * (every internal route is: they are keyed by order id). A 4xx from the other side comes back
 * as the same {@link ApiException}; a timeout, refused connection or 5xx after the retries is a 503.
 */
public final class ServiceClient {
    private static final System.Logger LOG = System.getLogger(ServiceClient.class.getName());

    private final String target;
    private final WebClient client;
    private final Supplier<String> token;
    private final int maxAttempts;

    public ServiceClient(String target, String baseUrl, Supplier<String> token, Duration timeout, int maxAttempts) {
        this.target = target;
        this.token = token;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.client = WebClient.builder()
                .baseUri(baseUrl)
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(timeout)
                .followRedirects(false)
                .keepAlive(true)
                .build();
    }

    public JsonNode get(String path) {
        return call(Method.GET, path, null, true);
    }

    public <T> T get(String path, Class<T> type) {
        return Json.mapper().convertValue(get(path), type);
    }

    /** POST to a route that is idempotent (keyed); retried on timeouts and 5xx. */
    public JsonNode post(String path, Object body) {
        return call(Method.POST, path, body, true);
    }

    public <T> T post(String path, Object body, Class<T> type) {
        return Json.mapper().convertValue(post(path, body), type);
    }

    public JsonNode put(String path, Object body) {
        return call(Method.PUT, path, body, true);
    }

    public JsonNode delete(String path) {
        return call(Method.DELETE, path, null, true);
    }

    public JsonNode call(Method method, String path, Object body, boolean idempotent) {
        int attempts = idempotent ? maxAttempts : 1;
        RuntimeException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                return once(method, path, body);
            } catch (ApiException e) {
                if (e.status() < 500 || e.code() == ErrorCode.INTERNAL && attempt == attempts) {
                    throw e;
                }
                last = e;
            } catch (RuntimeException e) {
                last = e;
            }
            if (attempt < attempts) {
                LOG.log(Level.DEBUG, target + " " + method.text() + " " + path + " failed, retrying: " + last.getMessage());
                backoff(attempt);
            }
        }
        if (last instanceof ApiException api && api.status() != 500) {
            throw api;
        }
        throw ApiException.unavailable(target + " is unavailable");
    }

    private JsonNode once(Method method, String path, Object body) {
        try (Tracing.Traced span = Tracing.span(method.text() + " " + target, SpanKind.CLIENT, null)) {
            span.attribute("http.request.method", method.text()).attribute("url.path", path).attribute("peer.service", target);
            try {
                return onceTraced(method, path, body, span);
            } catch (ApiException e) {
                span.attribute("http.response.status_code", e.status());
                if (e.status() >= 500) {
                    span.fail(e);
                }
                throw e;
            } catch (RuntimeException e) {
                span.fail(e);
                throw e;
            }
        }
    }

    private JsonNode onceTraced(Method method, String path, Object body, Tracing.Traced span) {
        int query = path.indexOf('?');
        HttpClientRequest request = client.method(method).path(query < 0 ? path : path.substring(0, query))
                .header(HeaderNames.ACCEPT, "application/json");
        if (query >= 0) {
            // path() would encode the '?' into the path: pass the query as parameters instead
            for (String pair : path.substring(query + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (!pair.isEmpty()) {
                    request.queryParam(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        String id = RequestContext.requestId();
        if (id != null) {
            request.header(RequestContext.REQUEST_ID, id);
        }
        Tracing.inject((name, value) -> request.header(HeaderNames.create(name), value));
        if (token != null) {
            request.header(HeaderNames.AUTHORIZATION, "Bearer " + token.get());
        }
        HttpClientResponse response;
        if (body != null) {
            request.header(HeaderNames.CONTENT_TYPE, "application/json");
            response = request.submit(Json.writeBytes(body));
        } else {
            response = request.request();
        }
        try (response) {
            int status = response.status().code();
            span.attribute("http.response.status_code", status);
            byte[] bytes = response.entity().hasEntity() ? response.as(byte[].class) : new byte[0];
            if (status == 204 || bytes.length == 0) {
                if (status >= 400) {
                    throw new ApiException(ErrorCode.forStatus(status), target + " answered " + status);
                }
                return null;
            }
            JsonNode envelope;
            try {
                envelope = Json.mapper().readTree(bytes);
            } catch (Exception e) {
                throw new ApiException(status >= 500 ? ErrorCode.DEPENDENCY_UNAVAILABLE : ErrorCode.forStatus(status),
                        target + " answered " + status + " without an envelope");
            }
            if (status < 300 && envelope.path("success").asBoolean(false)) {
                return envelope.get("data");
            }
            throw toException(status, envelope);
        }
    }

    private ApiException toException(int status, JsonNode envelope) {
        JsonNode error = envelope.path("error");
        ErrorCode code;
        try {
            code = ErrorCode.valueOf(error.path("code").asText());
        } catch (IllegalArgumentException e) {
            code = ErrorCode.forStatus(status);
        }
        List<FieldError> details = new ArrayList<>();
        for (JsonNode d : error.path("details")) {
            details.add(new FieldError(d.path("field").asText(), d.path("message").asText()));
        }
        JsonNode data = envelope.get("data");
        return new ApiException(code, error.path("message").asText(target + " answered " + status), details,
                data, null);
    }

    private static void backoff(int attempt) {
        try {
            Thread.sleep(100L * attempt * attempt + java.util.concurrent.ThreadLocalRandom.current().nextInt(50));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted");
        }
    }
}
