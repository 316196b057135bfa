package dev.storefront.common;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.storefront.common.web.AccessLog;
import dev.storefront.common.tracing.ServerTracing;
import dev.storefront.common.web.Cors;
import dev.storefront.common.web.PathTemplates;
import dev.storefront.common.web.ErrorHandling;
import dev.storefront.common.web.SecurityHeaders;
import dev.storefront.common.web.TransportErrors;
import io.helidon.config.Config;
import io.helidon.cors.CrossOriginConfig;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

/**
 * Builds the WebServer for one or more service modules: request ids and the error mapper,
 * each module's routes, a JSON 404 for the rest, health (live; ready checks every module's
 * database and NATS, and what the module adds, {@link ServiceModule#readiness}), Prometheus metrics, an access log line per request, and each module's OpenAPI
 * document at {@code /openapi/<service>} (Helidon's OpenAPI feature); CORS only for
 * {@code storefront.cors.allowed-origins}.
 */
public final class ServiceServer {
    private ServiceServer() {
    }

    public static WebServer start(Config config, int port, List<ServiceModule> modules) {
        return start(config, port, modules, routing -> { });
    }

    /** Helidon 4.1's metrics set-up is not safe when two servers start at once in one JVM (parallel tests). */
    private static final Object START_LOCK = new Object();

    /**
     * Builds and starts any other server of this JVM (a gateway, a test's fake neighbour) under the same
     * lock as the services' servers: Helidon 4.1's observe and metrics set-up is not safe when two servers
     * start at once.
     */
    public static WebServer startAlone(io.helidon.webserver.WebServerConfig.Builder server) {
        synchronized (START_LOCK) {
            return server.build().start();
        }
    }

    public static WebServer start(Config config, int port, List<ServiceModule> modules,
                                  java.util.function.Consumer<HttpRouting.Builder> extraRoutes) {
        return start(config, port, modules, extraRoutes, null);
    }

    /**
     * Starts the server, seeds each module's demo data once when its config asks for it, then starts
     * each module (relay, consumers, jobs). With a {@code shutdown}, readiness also answers DOWN once
     * the process is stopping.
     */
    public static WebServer start(Config config, int port, List<ServiceModule> modules,
                                  java.util.function.Consumer<HttpRouting.Builder> extraRoutes, GracefulShutdown shutdown) {
        WebServer server;
        synchronized (START_LOCK) {
            server = build(config, port, modules, extraRoutes, shutdown);
        }
        for (ServiceModule module : modules) {
            if (module.context().demoData()) {
                module.seedDemoData();
            }
            module.start();
        }
        return server;
    }

    private static WebServer build(Config config, int port, List<ServiceModule> modules,
                                   java.util.function.Consumer<HttpRouting.Builder> extraRoutes, GracefulShutdown shutdown) {
        HttpRouting.Builder routing = HttpRouting.builder();
        routing.addFilter(ServerTracing.filter(path -> serviceOf(modules, path)));
        ErrorHandling.install(routing);
        if (shutdown != null) {
            routing.addFilter(shutdown.closeConnectionsWhileStopping());
        }
        routing.addFilter((chain, req, res) -> {
            long start = System.nanoTime();
            SecurityHeaders.apply(res);
            // timed when sent: an error answer is written after the filters return, with its own status
            res.whenSent(() -> requestTimer(modules, req.prologue().method().text(), req.path().path(), res.status().code())
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
            chain.proceed();
        });
        AccessLog accessLog = new AccessLog(PathTemplates.fromOpenApi(ServiceServer.class.getClassLoader(),
                modules.stream().map(ServiceModule::openApiResource).toList()));
        routing.addFilter(accessLog::filter);
        Set<String> corsOrigins = new LinkedHashSet<>(Cors.origins(config.get("storefront.cors.allowed-origins").asString().orElse(null)));
        for (ServiceModule module : modules) { // one-process mode: the setting comes with each module's config
            corsOrigins.addAll(Cors.origins(module.context().config().get("storefront.cors.allowed-origins").asString().orElse(null)));
        }
        Cors.install(routing, corsOrigins);
        for (ServiceModule module : modules) {
            module.routing(routing);
        }
        extraRoutes.accept(routing);
        routing.any("/api/*", ErrorHandling::notFound);
        routing.any("/ai/*", ErrorHandling::notFound);
        routing.any("/internal/*", ErrorHandling::notFound);

        List<HealthCheck> checks = new ArrayList<>();
        for (ServiceModule module : modules) {
            ServiceContext ctx = module.context();
            checks.add(check(module.name() + "-database", () -> ctx.db().ping()));
            checks.add(check(module.name() + "-nats", () -> ctx.bus().connected()));
            module.readiness().forEach((name, up) -> checks.add(check(module.name() + "-" + name, up)));
        }
        if (shutdown != null) {
            checks.add(shutdown.readinessCheck());
        }
        return WebServer.builder()
                .config(config.get("server"))
                .port(port)
                .host(config.get("server.host").asString().orElse("0.0.0.0"))
                .maxPayloadSize(config.get("server.max-payload-size").asLong().orElse(16L * 1024 * 1024))
                .maxTcpConnections(config.get("server.max-tcp-connections").asInt().orElseGet(ServiceServer::connectionBudget))
                // beyond this many requests in progress Helidon answers 503 at once: shedding load keeps a call
                // to a neighbour from queueing behind thousands of waiting shoppers (an overload of the bench's
                // cart churn otherwise left the shop answering nothing for ten minutes after the load stopped)
                .maxConcurrentRequests(config.get("server.max-concurrent-requests").asInt().orElse(MAX_CONCURRENT_REQUESTS))
                .directHandlers(TransportErrors.handlers())
                // on stop, requests in progress get this long to finish (idle connections close at once)
                .shutdownGracePeriod(java.time.Duration.ofMillis(config.get("server.shutdown-grace-ms").asLong().orElse(10_000L)))
                .addFeature(ObserveFeature.builder()
                        .addObserver(HealthObserver.builder().details(true).addChecks(checks.toArray(HealthCheck[]::new)).build())
                        .addObserver(MetricsObserver.create())
                        .build())
                .addFeatures(openApi(modules))
                .routing(routing)
                .build()
                .start();
    }

    /**
     * Helidon's OpenAPI feature per module, at {@code /openapi/<service>} from the module's static
     * document: YAML by default, JSON for {@code Accept: application/json} or {@code ?format=JSON}.
     * Its own CORS is off: the API's CORS filter covers every path.
     */
    static List<OpenApiFeature> openApi(List<ServiceModule> modules) {
        List<OpenApiFeature> features = new ArrayList<>();
        for (ServiceModule module : modules) {
            if (module.getClass().getClassLoader().getResource(module.openApiResource()) == null) {
                continue;
            }
            features.add(OpenApiFeature.builder()
                    .name("openapi-" + module.name())
                    .webContext("/openapi/" + module.name())
                    .staticFile(module.openApiResource())
                    .cors(CrossOriginConfig.builder().enabled(false).build())
                    .build());
        }
        return features;
    }

    /** Request-duration buckets (seconds, as Prometheus sees them): from a cache hit to a saga that waited on a neighbour. */
    private static final java.time.Duration[] DURATION_BUCKETS = java.util.stream.LongStream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000)
            .mapToObj(java.time.Duration::ofMillis).toArray(java.time.Duration[]::new);

    /**
     * {@code storefront_http_requests}: method, route group (the first two segments of /api and /internal
     * paths, "other" for the rest), status, and the service whose prefix the path is under, so a dashboard
     * can tell services apart in one process as in a cluster.
     */
    private static Timer requestTimer(List<ServiceModule> modules, String method, String path, int status) {
        String group = path.startsWith("/api/") || path.startsWith("/internal/")
                ? path.split("/").length > 2 ? "/" + path.split("/")[1] + "/" + path.split("/")[2] : path : "other";
        String service = serviceOf(modules, path);
        return Metrics.globalRegistry().getOrCreate(Timer.builder("storefront_http_requests")
                .description("HTTP requests served, by service, method, route group and status")
                .buckets(DURATION_BUCKETS)
                .tags(List.of(Metrics.tag("service", service),
                        Metrics.tag("method", method),
                        Metrics.tag("route", group),
                        Metrics.tag("status", String.valueOf(status)))));
    }

    /** The module a path belongs to (one process serves them all on one port); the only one in split mode. */
    static String serviceOf(List<ServiceModule> modules, String path) {
        if (modules.size() == 1) {
            return modules.getFirst().name();
        }
        for (ServiceModule module : modules) {
            ServiceDefinition d = module.definition();
            if (d.servesPublicPath(path) && !d.publicPrefixes().contains("/")
                    || d.internalPrefixes().stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"))) {
                return module.name();
            }
        }
        return "storefront";
    }

    /** Above a flash sale's 2,000 shoppers at once plus their saga calls; far above what the pools serve. */
    static final int MAX_CONCURRENT_REQUESTS = 2_500;

    /**
     * Connections the listener accepts at once; more wait in the kernel's backlog. Without a bound an
     * overload (the bench at 3,840 cart requests/s) ran the process out of file descriptors, and
     * Helidon stops a listener whose accept fails: the shop stayed down after the load was gone.
     * Each accepted connection can come with one outgoing connection of this process (a service call
     * to a neighbour in the same JVM), so half the descriptors, less a reserve for the database
     * pools, NATS and jar files.
     */
    static int connectionBudget() {
        long maxFds = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : 4096;
        return (int) Math.max(256, Math.min(10_000, (maxFds - 512) / 2));
    }

    private static HealthCheck check(String name, java.util.function.BooleanSupplier up) {
        return new HealthCheck() {
            @Override
            public HealthCheckType type() {
                return HealthCheckType.READINESS;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthCheckResponse call() {
                boolean ok;
                try {
                    ok = up.getAsBoolean();
                } catch (RuntimeException e) {
                    ok = false;
                }
                return HealthCheckResponse.builder().status(ok).build();
            }
        };
    }
}
