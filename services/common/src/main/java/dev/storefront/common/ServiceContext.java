package dev.storefront.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.storefront.common.db.Database;
import dev.storefront.common.events.EventBus;
import dev.storefront.common.events.EventConsumer;
import dev.storefront.common.events.Outbox;
import dev.storefront.common.events.OutboxRelay;
import dev.storefront.common.http.ServiceClient;
import dev.storefront.common.http.ServiceTokens;
import dev.storefront.common.security.Authz;
import dev.storefront.common.security.TokenVerifier;
import dev.storefront.common.tracing.Tracing;
import io.helidon.config.Config;

/**
 * Everything a service needs from the outside, built once from config: its database, the event
 * bus with its outbox and relay, token verification, and clients for the services it calls.
 * In the one-process launcher every service gets its own context sharing one NATS connection.
 */
public final class ServiceContext implements AutoCloseable {
    private final String service;
    private final Config config;
    private final Database db;
    private final EventBus bus;
    private final boolean ownsBus;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final Authz authz;
    private final Supplier<String> serviceToken;
    private final Duration callTimeout;
    private final int callAttempts;
    private final Map<String, ServiceClient> clients = new ConcurrentHashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private ServiceContext(Builder b) {
        this.service = b.service;
        this.config = b.config;
        Tracing.configure(config);
        this.bus = b.bus != null ? b.bus : EventBus.connect(config);
        this.ownsBus = b.bus == null;
        this.db = Database.open(config, service);
        this.outbox = new Outbox(service);
        this.relay = new OutboxRelay(db, bus,
                Duration.ofMillis(config.get("storefront.outbox.sweep-ms").asLong().orElse(30_000L)));
        TokenVerifier verifier = b.verifier != null ? b.verifier
                : TokenVerifier.remote(config.get("storefront.auth.jwks-url").asString()
                        .orElse(serviceUrl("auth") + "/api/auth/.well-known/jwks.json"));
        this.authz = new Authz(verifier);
        this.serviceToken = b.serviceToken != null ? b.serviceToken
                : new ServiceTokens(serviceUrl("auth"),
                        config.get("storefront.service-client.id").asString().orElse(service),
                        config.get("storefront.service-client.secret").asString().orElse("dev-secret-" + service));
        this.callTimeout = Duration.ofMillis(config.get("storefront.http.timeout-ms").asLong().orElse(5_000L));
        this.callAttempts = config.get("storefront.http.max-attempts").asInt().orElse(3);
    }

    public static Builder builder(String service, Config config) {
        return new Builder(service, config);
    }

    public String service() {
        return service;
    }

    public Config config() {
        return config;
    }

    public Database db() {
        return db;
    }

    public EventBus bus() {
        return bus;
    }

    public Outbox outbox() {
        return outbox;
    }

    public OutboxRelay relay() {
        return relay;
    }

    public Authz authz() {
        return authz;
    }

    public Supplier<String> serviceToken() {
        return serviceToken;
    }

    public boolean demoData() {
        return config.get("storefront.demo-data").asBoolean().orElse(false);
    }

    /** Base URL of another service, from {@code storefront.services.<name>.url}. */
    public String serviceUrl(String name) {
        return config.get("storefront.services." + name + ".url").asString().orElse("http://127.0.0.1:8080");
    }

    /** A client for another service, with this service's token and the configured timeout. */
    public ServiceClient client(String target) {
        return clients.computeIfAbsent(target, t -> new ServiceClient(t, serviceUrl(t), serviceToken, callTimeout, callAttempts));
    }

    /**
     * A client for another service's public {@code /api} routes, which refuse service tokens: it
     * sends none (and so can only read what any anonymous caller may).
     */
    public ServiceClient publicClient(String target) {
        return clients.computeIfAbsent(target + " (public)", t -> new ServiceClient(target, serviceUrl(target), null, callTimeout,
                callAttempts));
    }

    /** A durable consumer named after this service and {@code purpose}. */
    public EventConsumer consumer(String purpose) {
        EventConsumer consumer = new EventConsumer(db, bus, service + "-" + purpose);
        onClose(consumer);
        return consumer;
    }

    /** Things closed with the context, before the relay, the pool and NATS. */
    public synchronized void onClose(AutoCloseable closeable) {
        closeables.add(closeable);
    }

    /** True the first time only: the module's start runs once. */
    boolean markStarted() {
        return started.compareAndSet(false, true);
    }

    /** Jobs and consumers first (all at once), then the relay sends what is committed, then the pool and NATS. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<AutoCloseable> toClose;
        synchronized (this) {
            toClose = List.copyOf(closeables.reversed());
            closeables.clear();
        }
        // jobs and consumers stop side by side (each at its safe point, each bounded), so their waits do
        // not add up against the process's stop bound
        try (var closing = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (AutoCloseable c : toClose) {
                closing.submit(() -> {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // shutting down anyway
                    }
                });
            }
        }
        relay.close();
        db.close();
        if (ownsBus) {
            bus.close();
        }
    }

    public static final class Builder {
        private final String service;
        private final Config config;
        private EventBus bus;
        private TokenVerifier verifier;
        private Supplier<String> serviceToken;

        private Builder(String service, Config config) {
            this.service = service;
            this.config = config;
        }

        /** Share a NATS connection (one-process mode). */
        public Builder bus(EventBus bus) {
            this.bus = bus;
            return this;
        }

        public Builder verifier(TokenVerifier verifier) {
            this.verifier = verifier;
            return this;
        }

        public Builder serviceToken(Supplier<String> serviceToken) {
            this.serviceToken = serviceToken;
            return this;
        }

        public ServiceContext build() {
            return new ServiceContext(this);
        }
    }
}
