package dev.storefront.common.web;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;

/**
 * Cross-origin access for the browser origins named in {@code storefront.cors.allowed-origins}
 * (comma-separated, exact {@code scheme://host[:port]}; none by default, so no other site's page
 * can read the API with a shopper's token). A preflight from any other origin is refused with 403;
 * a plain request from one gets no CORS headers, so the browser keeps the answer from that page.
 */
public final class Cors {
    private static final HeaderName REQUEST_METHOD = HeaderNames.create("Access-Control-Request-Method");
    private static final HeaderName ALLOW_ORIGIN = HeaderNames.create("Access-Control-Allow-Origin");
    private static final HeaderName ALLOW_METHODS = HeaderNames.create("Access-Control-Allow-Methods");
    private static final HeaderName ALLOW_HEADERS = HeaderNames.create("Access-Control-Allow-Headers");
    private static final HeaderName EXPOSE_HEADERS = HeaderNames.create("Access-Control-Expose-Headers");
    private static final HeaderName MAX_AGE = HeaderNames.create("Access-Control-Max-Age");

    /** The allowed origin of the request this thread serves, so an error answer keeps its CORS headers. */
    private static final ThreadLocal<String> ALLOWED_FOR_REQUEST = new ThreadLocal<>();

    private Cors() {
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

    /** Adds the CORS filter for {@code origins} (every request with an Origin header passes through it). */
    public static void install(HttpRouting.Builder routing, Set<String> origins) {
        Set<String> allowed = Set.copyOf(origins);
        routing.addFilter((chain, req, res) -> {
            String origin = req.headers().first(HeaderNames.ORIGIN).orElse(null);
            if (origin == null) {
                chain.proceed();
                return;
            }
            boolean ok = allowed.contains(origin);
            res.header(HeaderNames.VARY, "Origin");
            if (req.prologue().method() == Method.OPTIONS && req.headers().contains(REQUEST_METHOD)) {
                if (!ok) {
                    Responses.error(res, ApiException.forbidden("Cross-origin requests from " + plain(origin) + " are not allowed"));
                    return;
                }
                res.header(ALLOW_ORIGIN, origin);
                res.header(ALLOW_METHODS, "GET, POST, PUT, DELETE");
                res.header(ALLOW_HEADERS, "Authorization, Content-Type, Idempotency-Key, X-Request-Id, If-None-Match");
                res.header(MAX_AGE, "600");
                res.status(204).send();
                return;
            }
            if (!ok) {
                chain.proceed();
                return;
            }
            res.header(ALLOW_ORIGIN, origin);
            res.header(EXPOSE_HEADERS, "X-Request-Id, Retry-After, ETag");
            ALLOWED_FOR_REQUEST.set(origin);
            try {
                chain.proceed();
            } finally {
                ALLOWED_FOR_REQUEST.remove();
            }
        });
    }

    /** Puts the CORS headers back on a response that was reset (an error answer). */
    static void reapply(io.helidon.webserver.http.ServerResponse res) {
        String origin = ALLOWED_FOR_REQUEST.get();
        if (origin != null) {
            res.header(HeaderNames.VARY, "Origin");
            res.header(ALLOW_ORIGIN, origin);
            res.header(EXPOSE_HEADERS, "X-Request-Id, Retry-After, ETag");
        }
    }

    /** An origin as shown in a message: short, and only characters an origin may have. */
    private static String plain(String origin) {
        String plain = origin.replaceAll("[^A-Za-z0-9:/._-]", "?");
        return plain.length() > 100 ? plain.substring(0, 100) + "..." : plain;
    }
}
