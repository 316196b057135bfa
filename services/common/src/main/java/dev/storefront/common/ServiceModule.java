package dev.storefront.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.storefront.common.events.EventConsumer;
import dev.storefront.common.events.EventHandler;
import io.helidon.webserver.http.HttpRouting;

/**
 * One service as the launcher and its own Main see it: the routes it adds (with their full paths,
 * e.g. /api/auth and /internal/auth), the events it consumes (named handler classes) and its
 * background jobs. What it is (port, prefixes, events, jobs) is written once in {@link ServiceRegistry}.
 */
public interface ServiceModule extends AutoCloseable {
    /** The service's name: auth, catalog, … */
    String name();

    /** Its entry in the registry. */
    default ServiceDefinition definition() {
        return ServiceRegistry.of(name());
    }

    /** The context this module was built with. */
    ServiceContext context();

    /** Registers the service's routes. */
    void routing(HttpRouting.Builder routing);

    /** The integration-event handlers it subscribes (the same instances on every call). */
    default List<EventHandler> eventHandlers() {
        return List.of();
    }

    /** Its background jobs, not yet started (the same instances on every call). */
    default List<BackgroundJob> jobs() {
        return List.of();
    }

    /**
     * Called once the server listens: starts the outbox relay when the service publishes events,
     * subscribes its handlers (one durable consumer per handler group) and starts its jobs, each
     * closed with the context. A second call does nothing.
     */
    default void start() {
        ServiceContext ctx = context();
        if (!ctx.markStarted()) {
            return;
        }
        if (definition().publishesEvents()) {
            ctx.relay().start();
        }
        Map<String, EventConsumer> groups = new LinkedHashMap<>();
        for (EventHandler handler : eventHandlers()) {
            groups.computeIfAbsent(handler.group(), ctx::consumer).on(handler);
        }
        for (BackgroundJob job : jobs()) {
            ctx.onClose(job);
            job.start();
        }
    }

    /**
     * What else must hold before this module takes traffic, by name (the readiness check is {@code <service>-<name>}),
     * beyond its database and NATS: e.g. search's first full index load. Readiness only; liveness is not affected, so
     * a module still loading is not restarted.
     */
    default Map<String, java.util.function.BooleanSupplier> readiness() {
        return Map.of();
    }

    /** Loads demo data into an empty database; the kit calls it once, before {@link #start}, when asked to. */
    default void seedDemoData() {
    }

    /** Classpath location of the OpenAPI document that describes {@link #routing}. */
    default String openApiResource() {
        return "openapi/" + name() + ".yaml";
    }

    @Override
    default void close() {
        context().close();
    }
}
