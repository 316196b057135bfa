package dev.storefront.common.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.storefront.common.security.Principal;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;

/**
 * One JSON line per request through the logger {@value #LOGGER} (the JSON log formatter writes it):
 * method, route template, status, duration in ms, the request and trace ids, and the caller's user id
 * when the route checked a token. helidon-webserver-access-log is not served here, so this is a
 * small filter of the kit; its fields are those of Helidon's access log that a shop's operator reads.
 * Turn it off with the JUL level: {@code dev.storefront.access.level=OFF}.
 */
public final class AccessLog {
    public static final String LOGGER = "dev.storefront.access";
    private static final Logger LOG = Logger.getLogger(LOGGER);
    /** Where {@link #caller} leaves the principal for the line. */
    private static final Class<Principal> CALLER = Principal.class;

    private final PathTemplates templates;

    public AccessLog(PathTemplates templates) {
        this.templates = templates;
    }

    /** Remembers who called (a route's token check calls this), for the request's access line. */
    public static void caller(ServerRequest req, Principal principal) {
        req.context().register(CALLER, principal);
    }

    /**
     * Routing filter: times the request and writes its line once the answer is sent. An error answer is
     * written by the error handler after the filters have returned, so the line waits for the send.
     */
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!LOG.isLoggable(Level.INFO)) {
            chain.proceed();
            return;
        }
        long start = System.nanoTime();
        String requestId = RequestContext.requestId();
        String traceId = RequestContext.traceId();
        res.whenSent(() -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("method", req.prologue().method().text());
            line.put("route", templates.match(req.path().path()));
            line.put("status", res.status().code());
            line.put("durationMs", Math.round((System.nanoTime() - start) / 10_000.0) / 100.0);
            if (requestId != null) {
                line.put("requestId", requestId);
            }
            if (traceId != null) {
                line.put("traceId", traceId);
            }
            req.context().get(CALLER, CALLER).ifPresent(p -> line.put("userId", p.userId() == null ? p.subject() : p.userId().toString()));
            LOG.log(Level.INFO, line.get("method") + " " + line.get("route") + " " + line.get("status"), line);
        });
        chain.proceed();
    }
}
