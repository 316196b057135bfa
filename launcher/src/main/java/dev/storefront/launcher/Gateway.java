package dev.storefront.launcher;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.storefront.common.ServiceServer;
import dev.storefront.common.tracing.ServerTracing;
import dev.storefront.common.tracing.Tracing;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.ErrorHandling;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The split mode's front door, a small stand-in for the Kubernetes Ingress: routes each public
 * /api (and /ai) prefix to its service, each /openapi/&lt;service&gt; document to its service, and serves the UI.
 * /internal is never routed, as in the cluster.
 */
final class Gateway {
    private static final List<HeaderName> FORWARDED_REQUEST = List.of(HeaderNames.AUTHORIZATION, HeaderNames.CONTENT_TYPE,
            HeaderNames.ACCEPT, HeaderNames.IF_NONE_MATCH, HeaderNames.create("Idempotency-Key"),
            HeaderNames.create("X-Request-Id"), HeaderNames.create("Stripe-Signature"));
    private static final List<HeaderName> FORWARDED_RESPONSE = List.of(HeaderNames.CONTENT_TYPE, HeaderNames.ETAG,
            HeaderNames.CACHE_CONTROL, HeaderNames.RETRY_AFTER, HeaderNames.create("X-Request-Id"));

    private Gateway() {
    }

    /** Each public prefix of the registry to the port of the service that answers it. */
    static Map<String, Integer> routeTable(Map<Services, Integer> services) {
        Map<String, Integer> table = new LinkedHashMap<>();
        services.forEach((service, port) -> service.publicPrefixes().forEach(prefix -> table.put(prefix, port)));
        return table;
    }

    static WebServer start(int port, Map<Services, Integer> services) {
        Map<Integer, WebClient> clients = new LinkedHashMap<>();
        Map<String, WebClient> routes = new LinkedHashMap<>();
        routeTable(services).forEach((prefix, target) -> routes.put(prefix, clients.computeIfAbsent(target,
                p -> WebClient.builder().baseUri("http://127.0.0.1:" + p).readTimeout(Duration.ofSeconds(30)).build())));
        // each service's OpenAPI document at /openapi/<service>, as on the one-process platform's port
        Map<String, WebClient> documents = new LinkedHashMap<>();
        services.forEach((service, target) -> documents.put("/openapi/" + service.id(), clients.computeIfAbsent(target,
                p -> WebClient.builder().baseUri("http://127.0.0.1:" + p).readTimeout(Duration.ofSeconds(30)).build())));
        HttpRouting.Builder routing = HttpRouting.builder();
        routing.addFilter(ServerTracing.filter(path -> "gateway")); // the edge: a request's trace starts here
        ErrorHandling.install(routing);
        routing.any("/api/*", (req, res) -> proxy(routes, req, res));
        routing.any("/ai/*", (req, res) -> proxy(routes, req, res)); // the seed's aliases (search's /ai/search, /ai/index; catalog's /ai/prices)
        routing.get("/openapi/*", (req, res) -> proxy(documents, req, res));
        routing.any("/internal/*", ErrorHandling::notFound);
        WebUi.mount(routing);
        return ServiceServer.startAlone(WebServer.builder().port(port).host("0.0.0.0").routing(routing));
    }

    private static void proxy(Map<String, WebClient> routes, ServerRequest req, ServerResponse res) {
        String path = req.path().rawPath();
        WebClient target = routes.entrySet().stream()
                .filter(e -> path.equals(e.getKey()) || path.startsWith(e.getKey() + "/"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (target == null) {
            ErrorHandling.notFound(req, res);
            return;
        }
        HttpClientRequest out = target.method(Method.create(req.prologue().method().text())).path(path);
        // the query parameter by parameter: a "?" inside the path string is sent as part of the path
        for (String name : req.query().names()) {
            out.queryParam(name, req.query().all(name).toArray(String[]::new));
        }
        for (HeaderName name : FORWARDED_REQUEST) {
            req.headers().first(name).ifPresent(v -> out.header(name, v));
        }
        Tracing.inject((name, value) -> out.header(HeaderNames.create(name), value));
        byte[] body = req.content().hasEntity() ? req.content().as(byte[].class) : null;
        HttpClientResponse answer;
        try {
            answer = body == null ? out.request() : out.submit(body);
        } catch (RuntimeException e) { // refused, reset, or closed before the status line
            if (e instanceof ApiException api) {
                throw api;
            }
            // the service is down or restarting: what an Ingress answers, never a 500
            throw ApiException.unavailable("The service behind " + path + " is unavailable, retry shortly");
        }
        try (HttpClientResponse in = answer) {
            res.status(in.status());
            for (HeaderName name : FORWARDED_RESPONSE) {
                in.headers().first(name).ifPresent(v -> res.header(name, v));
            }
            res.send(in.entity().hasEntity() ? in.as(byte[].class) : new byte[0]);
        }
    }
}
