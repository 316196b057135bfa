package dev.storefront.common.web;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.helidon.common.uri.UriInfo;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.cors.CorsRequestAdapter;
import io.helidon.cors.CorsResponseAdapter;
import io.helidon.cors.CorsSupportHelper;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerResponse;

/**
 * Cross-origin access for the browser origins named in {@code storefront.cors.allowed-origins}
 * (comma-separated, exact {@code scheme://host[:port]}; none by default, so no other site's page
 * can read the API with a shopper's token).
 * <p>
 * Helidon's CORS engine (helidon-webserver-cors and the helidon-cors core it brings) decides: what a
 * preflight is, whether origin, method and headers are allowed, which headers an answer gets. The kit
 * only adapts its answers to the API's: a refused preflight is a 403 envelope (Helidon writes plain
 * text), an accepted one 204 (Helidon: 200), and a plain request from an origin that is not allowed
 * goes on without CORS headers, as before (Helidon would answer 403; behind a TLS-terminating ingress
 * the shop's own page looks cross-origin to the service, so a 403 there would refuse the shop itself;
 * without the headers the browser keeps the answer from any other page). {@code CorsSupport}, the
 * module's handler, cannot be told any of that, so the kit calls the engine through these adapters.
 */
public final class Cors {
    private static final HeaderName REQUEST_METHOD = HeaderNames.create("Access-Control-Request-Method");

    private final CorsSupportHelper<RoutingRequest, Answer> helper;

    private Cors(CorsSupportHelper<RoutingRequest, Answer> helper) {
        this.helper = helper;
    }

    /** The configured origins ({@code storefront.cors.allowed-origins}), blanks and "*" ignored. */
    public static Set<String> origins(String commaSeparated) {
        Set<String> origins = new LinkedHashSet<>();
        if (commaSeparated != null) {
            Arrays.stream(commaSeparated.split(",")).map(String::trim)
                    .filter(o -> !o.isEmpty() && !o.equals("*")).forEach(origins::add);
        }
        return origins;
    }

    /** Helidon's CORS settings for the API: these origins, the API's methods and headers, no credentials. */
    static Cors forOrigins(Set<String> origins) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("enabled", "true");
        // none configured: an origin no page can have (.invalid, RFC 6761), since an empty list is Helidon's "any"
        list(settings, "allow-origins", origins.isEmpty() ? List.of("https://none.invalid") : List.copyOf(origins));
        list(settings, "allow-methods", List.of("GET", "POST", "PUT", "DELETE"));
        list(settings, "allow-headers", List.of("Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id", "If-None-Match"));
        list(settings, "expose-headers", List.of("X-Request-Id", "Retry-After", "ETag"));
        settings.put("allow-credentials", "false");
        settings.put("max-age", "600");
        Config config = Config.just(ConfigSources.create(settings));
        return new Cors(new CorsSupportHelper.Builder<RoutingRequest, Answer>().name("storefront-api").config(config).build());
    }

    private static void list(Map<String, String> settings, String key, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            settings.put(key + "." + i, values.get(i));
        }
    }

    /** Adds the CORS filter for {@code origins} (every request with an Origin header passes through it). */
    public static void install(HttpRouting.Builder routing, Set<String> origins) {
        Cors cors = forOrigins(origins);
        routing.addFilter((chain, req, res) -> cors.filter(chain, req, res));
    }

    private void filter(io.helidon.webserver.http.FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (req.headers().first(HeaderNames.ORIGIN).isEmpty()) {
            chain.proceed();
            return;
        }
        res.header(HeaderNames.VARY, "Origin");
        Request request = new Request(req);
        Optional<Answer> answer = helper.processRequest(request, new Response(res));
        boolean preflight = req.prologue().method() == io.helidon.http.Method.OPTIONS && req.headers().contains(REQUEST_METHOD);
        if (answer.isPresent()) {
            if (answer.get().allowed()) {
                res.status(204).send();
            } else if (preflight) {
                Responses.error(res, ApiException.forbidden("Cross-origin requests from " + plain(req) + " are not allowed"));
            } else {
                chain.proceed(); // no CORS headers: the browser keeps the answer from the other page
            }
            return;
        }
        helper.prepareResponse(request, new Response(res));
        ALLOWED_FOR_REQUEST.set(new Reapply(this, request));
        try {
            chain.proceed();
        } finally {
            ALLOWED_FOR_REQUEST.remove();
        }
    }

    private record Reapply(Cors cors, Request request) {
    }

    /** The CORS decision of the request this thread serves, so an error answer (a reset response) gets its headers back. */
    private static final ThreadLocal<Reapply> ALLOWED_FOR_REQUEST = new ThreadLocal<>();

    /** Puts the CORS headers back on a response that was reset (an error answer). */
    static void reapply(ServerResponse res) {
        Reapply again = ALLOWED_FOR_REQUEST.get();
        if (again != null) {
            res.header(HeaderNames.VARY, "Origin");
            again.cors().helper.prepareResponse(again.request(), new Response(res));
        }
    }

    /** An origin as shown in a message: short, and only characters an origin may have. */
    private static String plain(RoutingRequest req) {
        String plain = req.headers().first(HeaderNames.ORIGIN).orElse("").replaceAll("[^A-Za-z0-9:/._-]", "?");
        return plain.length() > 100 ? plain.substring(0, 100) + "..." : plain;
    }

    /** Helidon's decision: answer now, allowed (a preflight) or refused. */
    record Answer(boolean allowed, String reason) {
    }

    private record Request(RoutingRequest req) implements CorsRequestAdapter<RoutingRequest> {
        @Override
        public String path() {
            return req.path().path();
        }

        @Override
        public UriInfo requestedUri() {
            return req.requestedUri();
        }

        @Override
        public Optional<String> firstHeader(HeaderName key) {
            return req.headers().first(key);
        }

        @Override
        public boolean headerContainsKey(HeaderName key) {
            return req.headers().contains(key);
        }

        @Override
        public List<String> allHeaders(HeaderName key) {
            return req.headers().all(key, List::of);
        }

        @Override
        public String method() {
            return req.prologue().method().text();
        }

        @Override
        public void next() {
            // the filter decides what comes next
        }

        @Override
        public RoutingRequest request() {
            return req;
        }
    }

    private record Response(ServerResponse res) implements CorsResponseAdapter<Answer> {
        @Override
        public CorsResponseAdapter<Answer> header(HeaderName key, String value) {
            res.header(key, value);
            return this;
        }

        @Override
        public CorsResponseAdapter<Answer> header(HeaderName key, Object value) {
            // Helidon passes a header name for Vary: its usual spelling ("Origin"), not its upper-case toString
            res.header(key, value instanceof HeaderName name ? name.defaultCase() : value.toString());
            return this;
        }

        @Override
        public Answer forbidden(String message) {
            return new Answer(false, message);
        }

        @Override
        public Answer ok() {
            return new Answer(true, null);
        }

        @Override
        public int status() {
            return res.status().code();
        }
    }
}
