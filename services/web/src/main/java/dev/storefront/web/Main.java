package dev.storefront.web;

import java.lang.System.Logger.Level;

import dev.storefront.common.GracefulShutdown;
import dev.storefront.common.JsonStdoutHandler;
import dev.storefront.common.ServiceRegistry;
import dev.storefront.common.ServiceServer;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;

/**
 * Serves the web UI alone (split mode, a container), on port 8089 unless {@code server.port} / {@code SERVER_PORT}
 * says otherwise, with JSON log lines and the kit's graceful shutdown; readiness at {@code /observe/health/ready}.
 * The SPA calls {@code /api} on its own origin: put the gateway (or the launcher) in front of it.
 */
public final class Main {
    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        JsonStdoutHandler.install();
        try {
            Config config = Config.create();
            GracefulShutdown shutdown = GracefulShutdown.from("web", config);
            WebServer server = start(config, shutdown);
            shutdown.server(server).installSignalHandlers();
            LOG.log(Level.INFO, "web ready: UI at http://localhost:" + server.port() + "/");
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "web did not start: " + e.getMessage(), e);
            System.exit(1);
        }
    }

    /** Starts the server from config (the {@code server} node). */
    public static WebServer start(Config config) {
        return start(config, null);
    }

    static WebServer start(Config config, GracefulShutdown shutdown) {
        var health = HealthObserver.builder().details(true);
        if (shutdown != null) {
            health.addCheck(shutdown.readinessCheck());
        }
        return ServiceServer.startAlone(WebServer.builder()
                .port(ServiceRegistry.WEB.splitPort())
                .config(config.get("server"))
                .addFeature(ObserveFeature.builder().addObserver(health.build()).build())
                .routing(routing -> {
                    if (shutdown != null) {
                        routing.addFilter(shutdown.closeConnectionsWhileStopping());
                    }
                    WebModule.register(routing);
                }));
    }
}
