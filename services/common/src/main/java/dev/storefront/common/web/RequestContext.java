package dev.storefront.common.web;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

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
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private RequestContext() {
    }

    /** The current request id, or null outside a request. */
    public static String requestId() {
        return CURRENT.get();
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
        CompletableFuture<T> answer = new CompletableFuture<>();
        Thread.ofVirtual().name("parallel-call").start(() -> runWith(id, () -> {
            try {
                answer.complete(work.get());
            } catch (Throwable t) {
                answer.completeExceptionally(t);
            }
        }));
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
        String id = incoming != null && SAFE_ID.matcher(incoming).matches() ? incoming : newId();
        String previous = CURRENT.get();
        CURRENT.set(id);
        res.header(REQUEST_ID, id);
        try {
            chain.proceed();
        } finally {
            restore(previous);
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
