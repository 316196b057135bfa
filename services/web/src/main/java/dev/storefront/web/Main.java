package dev.storefront.web;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;

/**
 * Serves the web UI alone (split mode), on port 8089 unless {@code server.port} / {@code SERVER_PORT} says otherwise.
 * The SPA calls {@code /api} on its own origin: in split mode put the gateway (or the launcher) in front of it.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        WebServer server = start(Config.create());
        System.out.println("storefront-web: UI at http://localhost:" + server.port() + "/");
    }

    /** Starts the server from config (the {@code server} node). */
    public static WebServer start(Config config) {
        return WebServer.builder()
                .config(config.get("server"))
                .routing(WebModule::register)
                .build()
                .start();
    }
}
