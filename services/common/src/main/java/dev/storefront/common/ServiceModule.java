package dev.storefront.common;

import io.helidon.webserver.http.HttpRouting;

/**
 * One service as the launcher and its own Main see it: the routes it adds (with their full
 * paths, e.g. /api/auth and /internal/auth) and the background work it starts.
 */
public interface ServiceModule extends AutoCloseable {
    /** The service's name: auth, catalog, … */
    String name();

    /** The context this module was built with. */
    ServiceContext context();

    /** Registers the service's routes. */
    void routing(HttpRouting.Builder routing);

    /** Starts consumers, relays and jobs; called once the server listens. */
    default void start() {
        context().relay().start();
    }

    /** Loads demo data into an empty database; the launcher calls it when asked to. */
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
