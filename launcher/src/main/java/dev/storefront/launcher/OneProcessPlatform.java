package dev.storefront.launcher;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.storefront.common.GracefulShutdown;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceModule;
import dev.storefront.common.ServiceServer;
import dev.storefront.common.events.EventBus;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;

/**
 * Every service in one process on one port: each keeps its own database and context, they share
 * one NATS connection, and they call each other over real HTTP on this same port.
 */
public final class OneProcessPlatform implements AutoCloseable {
    private final WebServer server;
    private final List<ServiceModule> modules;
    private final EventBus bus;
    private final LocalObjectStorage storage;

    private OneProcessPlatform(WebServer server, List<ServiceModule> modules, EventBus bus, LocalObjectStorage storage) {
        this.server = server;
        this.modules = modules;
        this.bus = bus;
        this.storage = storage;
    }

    public static OneProcessPlatform start(Settings settings) {
        return start(settings, null);
    }

    /** As {@link #start(Settings)}; readiness answers DOWN once {@code shutdown} began. */
    public static OneProcessPlatform start(Settings given, GracefulShutdown shutdown) {
        LocalObjectStorage storage = LocalObjectStorage.startIfNeeded(given);
        try {
            return start(storage.settings(), shutdown, storage);
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    private static OneProcessPlatform start(Settings settings, GracefulShutdown shutdown, LocalObjectStorage storage) {
        int port = settings.port() == 0 ? freePort() : settings.port();
        String base = "http://127.0.0.1:" + port;
        EventBus bus = EventBus.connect(Config.just(ConfigSources.create(
                settings.serviceConfig("launcher", s -> base))));
        List<ServiceModule> modules = new ArrayList<>();
        try {
            // each service opens and migrates its own database: do the eight at once
            List<Future<ServiceModule>> opening = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Services service : Services.values()) {
                    Config config = Config.just(ConfigSources.create(settings.serviceConfig(service.id(), s -> base)));
                    opening.add(pool.submit(() -> ModuleFactory.create(service,
                            ServiceContext.builder(service.id(), config).bus(bus).build())));
                }
            }
            RuntimeException failure = null;
            for (Future<ServiceModule> module : opening) {
                try {
                    modules.add(module.get());
                } catch (ExecutionException e) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = new IllegalStateException(e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            Config serverConfig = Config.just(ConfigSources.create(java.util.Map.of("server.host", "0.0.0.0")));
            WebServer server = ServiceServer.start(serverConfig, port, modules, WebUi::mount, shutdown);
            return new OneProcessPlatform(server, modules, bus, storage);
        } catch (RuntimeException e) {
            modules.forEach(ServiceModule::close);
            bus.close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    public List<ServiceModule> modules() {
        return modules;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
        for (ServiceModule module : modules.reversed()) {
            module.close();
        }
        bus.close();
        storage.close();
    }
}
