package dev.storefront.common.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.ServiceServer;
import dev.storefront.common.security.Authz;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.ErrorHandling;
import dev.storefront.common.web.Json;
import dev.storefront.common.web.Responses;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A programmable stand-in for the services (or the outside API) a module calls: a small Helidon
 * server whose routes a test programs while it runs. Each route answers with what its handler returns
 * (an envelope by default), and can be made to fail, to answer late (always or once, after doing its
 * work) and counts its calls. Routes are named ({@code "payment.charge"}) or go by
 * {@code "METHOD /path/{param}"}.
 * <pre>
 * FakeNeighbour catalog = new FakeNeighbour();
 * catalog.on("GET", "/internal/catalog/products", call -&gt; List.of(product));   // 200 envelope
 * catalog.fail("GET /internal/catalog/products", ApiException.unavailable("down"));
 * catalog.calls("GET /internal/catalog/products");
 * </pre>
 * A {@link ServiceFixture} starts and stops the fakes it is given ({@link ServiceFixture#neighbour});
 * {@link #routing} installs the same routes in any routing, e.g. a {@code @ServerTest}'s {@code @SetUpRoute}.
 */
public final class FakeNeighbour implements AutoCloseable {
    /** What a route does with a call; the result is the answer (see {@link #answer(ServerResponse, Object)}). */
    @FunctionalInterface
    public interface Handler {
        Object handle(Call call) throws Exception;
    }

    /** One request to a route: its path parameters, query, headers and body. */
    public record Call(ServerRequest request, Parameters pathParameters, byte[] body) {
        public String param(String name) {
            return pathParameters.get(name);
        }

        /** The query parameter, or null without it. */
        public String query(String name) {
            return request.query().first(name).orElse(null);
        }

        public Optional<String> header(String name) {
            return request.headers().first(HeaderNames.create(name));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body as JSON, or null without one. */
        public JsonNode json() throws IOException {
            return body.length == 0 ? null : Json.mapper().readTree(body);
        }
    }

    /** A full answer: status, headers and a body (an object is written as JSON, a String as is). */
    public record Answer(int status, Object body, Map<String, String> headers) {
        public static Answer created(Object data) {
            return new Answer(201, Responses.success(data), Map.of());
        }

        public static Answer json(int status, String json, Map<String, String> headers) {
            return new Answer(status, json, headers);
        }
    }

    private static final class Route {
        final String name;
        final Method method;
        final PathMatcher path;
        final Handler handler;
        final AtomicInteger calls = new AtomicInteger();
        volatile RuntimeException failure;
        volatile long delayMs;
        volatile long delayOnceMs;

        Route(String name, Method method, String path, Handler handler) {
            this.name = name;
            this.method = method;
            this.path = PathMatchers.create(path);
            this.handler = handler;
        }
    }

    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final Map<String, Route> byName = new ConcurrentHashMap<>();
    private volatile Authz serviceTokens;
    private WebServer server;

    /** Calls to {@code /internal/*} must carry a service token signed by {@code keys}, as the real services want. */
    public FakeNeighbour requireServiceTokens(TestKeys keys) {
        this.serviceTokens = new Authz(keys.verifier());
        return this;
    }

    /** Programs {@code method path} (Helidon's {@code {param}} syntax), named {@code "METHOD path"}. */
    public FakeNeighbour on(String method, String path, Handler handler) {
        return on(method + " " + path, method, path, handler);
    }

    /** Programs a named route; a route of the same name is replaced. */
    public FakeNeighbour on(String name, String method, String path, Handler handler) {
        Route route = new Route(name, Method.create(method), path, handler);
        Route old = byName.put(name, route);
        if (old != null) {
            routes.remove(old);
        }
        routes.add(route);
        return this;
    }

    /** The route always answers {@code data} in a 200 envelope. */
    public FakeNeighbour answer(String method, String path, Object data) {
        return on(method, path, call -> data);
    }

    /** The route fails with {@code failure} (e.g. {@code ApiException.unavailable(..)}) until {@link #heal}. */
    public FakeNeighbour fail(String route, RuntimeException failure) {
        route(route).failure = failure;
        return this;
    }

    /** The route is down: 503 DEPENDENCY_UNAVAILABLE until {@link #heal}. */
    public FakeNeighbour down(String route) {
        return fail(route, ApiException.unavailable(route + " is down"));
    }

    /** The route answers {@code millis} late, every time. */
    public FakeNeighbour delay(String route, long millis) {
        route(route).delayMs = millis;
        return this;
    }

    /** The next call does its work, then answers {@code millis} late (after the caller gave up). */
    public FakeNeighbour delayOnce(String route, long millis) {
        route(route).delayOnceMs = millis;
        return this;
    }

    /** Every route answers again, at once. */
    public void heal() {
        for (Route r : routes) {
            r.failure = null;
            r.delayMs = 0;
            r.delayOnceMs = 0;
        }
    }

    /** Calls the route received so far (failed and late ones too). */
    public int calls(String route) {
        return route(route).calls.get();
    }

    private Route route(String name) {
        Route r = byName.get(name);
        if (r == null) {
            throw new IllegalArgumentException("No route " + name + "; programmed: " + byName.keySet());
        }
        return r;
    }

    /** Installs the fake's routes (and the kit's error envelopes) in {@code routing}. */
    public void routing(HttpRouting.Builder routing) {
        ErrorHandling.install(routing);
        routing.any(this::dispatch);
    }

    /** Starts the fake on a free port of 127.0.0.1 (once). Only its routes: no observe or OpenAPI features. */
    public synchronized FakeNeighbour start() {
        if (server == null) {
            server = ServiceServer.startAlone(WebServer.builder().host("127.0.0.1").port(0)
                    .featuresDiscoverServices(false).shutdownHook(false)
                    .routing(this::routing));
        }
        return this;
    }

    public synchronized String url() {
        if (server == null) {
            throw new IllegalStateException("The fake is not started");
        }
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    private void dispatch(ServerRequest req, ServerResponse res) throws Exception {
        for (Route route : routes) {
            if (!route.method.equals(req.prologue().method())) {
                continue;
            }
            PathMatchers.MatchResult match = route.path.match(req.path());
            if (match.accepted()) {
                route.calls.incrementAndGet();
                if (serviceTokens != null && req.path().path().startsWith("/internal/")) {
                    serviceTokens.service(req);
                }
                RuntimeException failure = route.failure;
                if (failure != null) {
                    throw failure;
                }
                byte[] body = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
                Object result = route.handler.handle(new Call(req, match.path().pathParameters(), body));
                long late = route.delayMs;
                if (route.delayOnceMs > 0) {
                    synchronized (route) {
                        late += route.delayOnceMs;
                        route.delayOnceMs = 0;
                    }
                }
                if (late > 0) {
                    Thread.sleep(late);
                }
                answer(res, result);
                return;
            }
        }
        ErrorHandling.notFound(req, res);
    }

    /** null is 204, an {@link Answer} as given, anything else a 200 envelope with it as data. */
    private static void answer(ServerResponse res, Object result) {
        if (result == null) {
            Responses.noContent(res);
        } else if (result instanceof Answer a) {
            res.status(Status.create(a.status()));
            boolean typed = a.headers().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"));
            if (!typed) {
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
            }
            a.headers().forEach((k, v) -> res.header(HeaderNames.create(k), v));
            res.send(a.body() instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : Json.writeBytes(a.body()));
        } else {
            Responses.ok(res, result);
        }
    }

    /** The routes programmed so far, by name. */
    public List<String> routes() {
        List<String> names = new ArrayList<>();
        routes.forEach(r -> names.add(r.name));
        return names;
    }
}
