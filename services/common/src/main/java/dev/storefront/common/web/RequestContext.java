package dev.storefront.common.web;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import dev.storefront.common.tracing.Tracing;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * The request id of the request this thread serves. Helidon runs each request on its own
 * virtual thread, so a thread-local follows the request through handlers, the service client
 * and log lines without passing it around.
 */
public final class RequestContext {
    public static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** W3C trace context: version-traceid-parentid-flags. */
    public static final HeaderName TRACEPARENT = HeaderNames.create("traceparent");
    private static final Pattern TRACEPARENT_VALUE = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<String> TRACE = new ThreadLocal<>();

    private RequestContext() {
    }

    /** The current request id, or null outside a request. */
    public static String requestId() {
        return CURRENT.get();
    }

    /** The trace id of the request's incoming {@code traceparent}, or null (logged with each line). */
    public static String traceId() {
        String traced = Tracing.traceId();
        return traced != null ? traced : TRACE.get();
    }

    /** Runs {@code work} with the given request id in scope (used by event consumers). */
    public static void runWith(String requestId, Runnable work) {
        String previous = CURRENT.get();
        CURRENT.set(requestId == null ? newId() : requestId);
        try {
            work.run();
        } finally {
            restore(previous);
        }
    }

    /**
     * Starts {@code work} on its own virtual thread with this request's id in scope: for a call to
     * one neighbour made while the request calls another. Collect the answer with {@link #await}.
     */
    public static <T> CompletableFuture<T> inParallel(Supplier<T> work) {
        String id = requestId();
        String trace = traceId();
        CompletableFuture<T> answer = new CompletableFuture<>();
        Thread.ofVirtual().name("parallel-call").start(io.opentelemetry.context.Context.current().wrap(() -> runWith(id, () -> {
            TRACE.set(trace);
            try {
                answer.complete(work.get());
            } catch (Throwable t) {
                answer.completeExceptionally(t);
            }
        })));
        return answer;
    }

    /** The answer of {@link #inParallel}; what the work threw is thrown here as it was (an ApiException stays one). */
    public static <T> T await(CompletableFuture<T> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Routing filter: takes a well-formed incoming id or makes one, echoes it, scopes it. */
    public static void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String incoming = req.headers().first(REQUEST_ID).orElse(null);
        String traced = Tracing.traceId(); // tracing on: the request id is the trace id, so log lines name the trace
        String id = traced != null ? traced : incoming != null && SAFE_ID.matcher(incoming).matches() ? incoming : newId();
        String previous = CURRENT.get();
        String previousTrace = TRACE.get();
        CURRENT.set(id);
        TRACE.set(req.headers().first(TRACEPARENT).map(TRACEPARENT_VALUE::matcher)
                .filter(java.util.regex.Matcher::matches).map(m -> m.group(1)).orElse(null));
        res.header(REQUEST_ID, id);
        try {
            chain.proceed();
        } finally {
            restore(previous);
            if (previousTrace == null) {
                TRACE.remove();
            } else {
                TRACE.set(previousTrace);
            }
        }
    }

    private static void restore(String previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
