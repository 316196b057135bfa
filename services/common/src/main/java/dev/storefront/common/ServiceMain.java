package dev.storefront.common;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.storefront.common.db.Database;
import dev.storefront.common.events.EventBus;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;

/**
 * How every service process starts (split mode, a container): {@code ServiceMain.run("cart", CartModule::create)}.
 * It logs JSON lines to standard output, reads config (system properties, then environment, then the file
 * named by {@code STOREFRONT_CONFIG_FILE} if any), waits for PostgreSQL and NATS (one log line per
 * attempt; gives up after {@code storefront.startup.wait-ms}, 5 minutes, and exits non-zero: in a cluster
 * pods start before their databases exist), opens and migrates the database, builds the module, starts
 * the server (seeding demo data once when asked) and installs the graceful shutdown. Any failure on the
 * way is one log line and exit code 1, never a process that neither serves nor exits.
 */
public final class ServiceMain {
    private static final System.Logger LOG = System.getLogger(ServiceMain.class.getName());

    private ServiceMain() {
    }

    public static void run(String name, Function<ServiceContext, ? extends ServiceModule> factory) {
        JsonStdoutHandler.install();
        long started = System.nanoTime();
        try {
            ServiceDefinition definition = ServiceRegistry.of(name);
            Config config = config();
            awaitDependencies(config, name);
            ServiceContext ctx = ServiceContext.builder(name, config).build();
            ServiceModule module;
            try {
                module = factory.apply(ctx);
            } catch (RuntimeException e) {
                ctx.close();
                throw e;
            }
            GracefulShutdown shutdown = GracefulShutdown.from(name, config);
            WebServer server = ServiceServer.start(config, config.get("server.port").asInt().orElse(definition.splitPort()),
                    List.of(module), routing -> { }, shutdown);
            shutdown.server(server).then(module).installSignalHandlers();
            if (!server.isRunning() || server.port() <= 0) { // Helidon logs a failed bind and goes on
                throw new IllegalStateException("the listener did not start (port " + definition.splitPort()
                        + " or SERVER_PORT taken?)");
            }
            LOG.log(Level.INFO, name + " ready on port " + server.port() + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        } catch (Throwable e) {
            LOG.log(Level.ERROR, name + " did not start: " + e.getMessage(), e);
            // a NATS connection or a pool thread would keep a half-started process alive: exit, so the
            // supervisor (kubelet, the launcher) sees the failure and starts it again
            System.exit(1);
        }
    }

    /** System properties, then environment variables, then {@code STOREFRONT_CONFIG_FILE} (YAML or properties). */
    static Config config() {
        String file = System.getenv("STOREFRONT_CONFIG_FILE");
        if (file == null || file.isBlank()) {
            return Config.create();
        }
        if (!Files.isReadable(Path.of(file))) {
            throw new IllegalStateException("STOREFRONT_CONFIG_FILE names " + file + ", which cannot be read");
        }
        return Config.builder().addSource(ConfigSources.file(file)).build();
    }

    /** Waits, with growing pauses, until PostgreSQL and NATS answer; throws once the bound is spent. */
    static void awaitDependencies(Config config, String service) throws InterruptedException {
        Duration bound = Duration.ofMillis(config.get("storefront.startup.wait-ms").asLong().orElse(300_000L));
        long deadline = System.nanoTime() + bound.toNanos();
        String dbUrl = Database.url(config, service).replaceAll("\\?.*$", "");
        await("PostgreSQL at " + dbUrl, () -> Database.unreachableReason(config, service), deadline, bound);
        String natsUrl = config.get("nats.url").asString().orElse("nats://127.0.0.1:4222");
        await("NATS at " + natsUrl, () -> EventBus.unreachableReason(config), deadline, bound);
    }

    private static void await(String what, Supplier<String> reason, long deadline, Duration bound) throws InterruptedException {
        long pauseMs = 500;
        for (int attempt = 1; ; attempt++) {
            String why = reason.get();
            if (why == null) {
                if (attempt > 1) {
                    LOG.log(Level.INFO, what + " answers (attempt " + attempt + ")");
                }
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("Gave up waiting for " + what + " after " + bound.toSeconds() + " s: " + why);
            }
            long pause = Math.min(pauseMs, left / 1_000_000 + 1);
            LOG.log(Level.WARNING, "Waiting for " + what + " (attempt " + attempt + ", next in " + pause + " ms): " + why);
            Thread.sleep(pause);
            pauseMs = Math.min(pauseMs * 2, 10_000);
        }
    }
}
