package dev.storefront.common;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Responses;
import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Filter;

/**
 * How every Storefront process stops (SIGTERM on a rollout or scale-down, Ctrl-C locally): readiness
 * answers DOWN at once; after the drain delay ({@code storefront.shutdown.drain-ms}, 5 s: load balancers
 * stop sending) requests that still arrive get 503 with Retry-After, the requests in progress finish and
 * the listener closes; then the process's
 * resources close in order (jobs at a safe point, the relay sends what is committed, consumers stop
 * acking, pools close); it logs that it stopped and exits. The whole stop is bounded by
 * {@code storefront.shutdown.timeout-ms} (25 s, under Kubernetes' default grace period of 30 s): past it,
 * or on a second SIGTERM, the process halts at once.
 */
public final class GracefulShutdown {
    private static final System.Logger LOG = System.getLogger(GracefulShutdown.class.getName());

    private final String process;
    private final Duration drain;
    private final Duration bound;
    private final Duration grace;
    private final AtomicBoolean draining = new AtomicBoolean();
    /** After the drain delay: requests that still arrive are answered 503 with Retry-After at once. */
    private final AtomicBoolean refusing = new AtomicBoolean();
    private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<WebServer> servers = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    private GracefulShutdown(String process, Duration drain, Duration bound, Duration grace) {
        this.process = process;
        this.drain = drain;
        this.bound = bound;
        this.grace = grace;
    }

    public static GracefulShutdown from(String process, Config config) {
        return from(process, config, Duration.ofSeconds(5));
    }

    /** As {@link #from(String, Config)} with another default drain delay (a process no load balancer fronts). */
    public static GracefulShutdown from(String process, Config config, Duration defaultDrain) {
        Config node = config.get("storefront.shutdown");
        return new GracefulShutdown(process,
                Duration.ofMillis(node.get("drain-ms").asLong().orElse(defaultDrain.toMillis())),
                Duration.ofMillis(node.get("timeout-ms").asLong().orElse(25_000L)),
                Duration.ofMillis(config.get("server.shutdown-grace-ms").asLong().orElse(10_000L)));
    }

    public Duration drainDelay() {
        return drain;
    }

    public Duration bound() {
        return bound;
    }

    /** Of the bound, what closing jobs, consumers, the relay's last sends and the pools may need: 12 s, or half. */
    private Duration closeReserve() {
        Duration half = bound.dividedBy(2);
        return half.compareTo(Duration.ofSeconds(12)) < 0 ? half : Duration.ofSeconds(12);
    }

    /** True from the moment a stop began: readiness is DOWN. */
    public boolean draining() {
        return draining.get();
    }

    /** The readiness check that answers DOWN once the process is stopping. */
    public HealthCheck readinessCheck() {
        return new HealthCheck() {
            @Override
            public HealthCheckType type() {
                return HealthCheckType.READINESS;
            }

            @Override
            public String name() {
                return "accepting";
            }

            @Override
            public HealthCheckResponse call() {
                return HealthCheckResponse.builder().status(!draining.get()).detail("stopping", draining.get()).build();
            }
        };
    }

    /**
     * A routing filter for every server of the process: it counts the requests in progress (the stop lets
     * them finish before it closes the listener), answers {@code Connection: close} once the process is
     * stopping (Helidon's stop interrupts only the connections idle at that moment: a keep-alive connection
     * whose request was still running would sit idle until the listener's grace period ran out), and after
     * the drain delay answers what still arrives with 503 and Retry-After, so the in-flight wait ends.
     */
    public Filter closeConnectionsWhileStopping() {
        return (chain, req, res) -> {
            if (draining.get()) {
                res.header(HeaderValues.CONNECTION_CLOSE);
            }
            if (refusing.get()) {
                Responses.error(res, ApiException.unavailable(process + " is stopping, retry shortly"));
                return;
            }
            inFlight.incrementAndGet();
            try {
                chain.proceed();
            } finally {
                inFlight.decrementAndGet();
            }
        };
    }

    /** The server to stop after the drain delay (its requests in progress finish first). */
    public synchronized GracefulShutdown server(WebServer server) {
        servers.add(server);
        return this;
    }

    /** A resource closed after the servers stopped, in the order given. */
    public synchronized GracefulShutdown then(AutoCloseable resource) {
        resources.add(resource);
        return this;
    }

    /**
     * Stops on SIGTERM and SIGINT (a second one halts at once) and on an ordinary JVM exit (the shutdown
     * hook), whichever comes first.
     */
    public GracefulShutdown installSignalHandlers() {
        AtomicInteger signals = new AtomicInteger();
        for (String name : List.of("TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    if (signals.incrementAndGet() > 1) {
                        LOG.log(Level.WARNING, process + ": second SIG" + name + ", stopping at once");
                        Runtime.getRuntime().halt(128 + signal.getNumber());
                    }
                    // not a daemon (the signal thread is one, and a daemon would be cut off once the listener
                    // stopped and no other thread kept the JVM alive, before the relay and pools closed)
                    Thread.ofPlatform().daemon(false).name("graceful-shutdown").start(() -> {
                        stop("SIG" + name);
                        System.exit(0);
                    });
                });
            } catch (IllegalArgumentException e) {
                // the signal is not available here (e.g. INT when the JVM runs with -Xrs): the hook still stops
            }
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown-hook").unstarted(() -> stop("JVM exit")));
        return this;
    }

    /** Runs the stop once (a later call waits for the one under way); bounded by the timeout. */
    public void stop(String reason) {
        if (!stopped.compareAndSet(false, true)) {
            try {
                done.await(bound.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            stopOnce(reason);
        } finally {
            done.countDown(); // a second caller (the JVM's exit hook) never waits out the bound after a failed stop
        }
    }

    private void stopOnce(String reason) {
        long started = System.nanoTime();
        draining.set(true);
        Thread watchdog = Thread.ofPlatform().daemon().name("shutdown-bound").start(() -> {
            try {
                Thread.sleep(bound);
                LOG.log(Level.ERROR, process + " did not stop within " + bound.toMillis() + " ms; halting");
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException e) {
                // stopped in time
            }
        });
        LOG.log(Level.INFO, process + " stopping (" + reason + "): readiness DOWN, draining for " + drain.toMillis() + " ms");
        try {
            Thread.sleep(drain);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // the requests still running finish before the listener closes; new ones are refused meanwhile.
        // Bounded by the listener's grace period and by what the closes below need of the whole bound
        refusing.set(true);
        long inFlightDeadline = Math.min(System.nanoTime() + grace.toNanos(), started + bound.toNanos() - closeReserve().toNanos());
        while (inFlight.get() > 0 && System.nanoTime() < inFlightDeadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.get() > 0) {
            LOG.log(Level.WARNING, process + ": " + inFlight.get() + " requests still in progress; closing the listener");
        }
        List<WebServer> toStop;
        List<AutoCloseable> toClose;
        synchronized (this) {
            toStop = List.copyOf(servers);
            toClose = List.copyOf(resources);
        }
        for (WebServer server : toStop) {
            try {
                server.stop(); // stops accepting; the requests in progress finish within the listener's grace period
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, process + ": stopping the listener failed: " + e);
            }
        }
        for (AutoCloseable resource : toClose) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, process + ": closing " + resource + " failed: " + e);
            }
        }
        watchdog.interrupt();
        LOG.log(Level.INFO, process + " stopped in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }
}
