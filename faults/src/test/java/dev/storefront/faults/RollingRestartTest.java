package dev.storefront.faults;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.testing.TestEnv;
import dev.storefront.common.testing.TestHttp;
import dev.storefront.common.web.Json;
import dev.storefront.launcher.Services;
import dev.storefront.launcher.SplitPlatform;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.Subject;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Issue 14: a rolling restart in split mode. Under a steady checkout load through the gateway, each of
 * the eight services in turn gets SIGTERM and is started again once it exited. The promise: no failed
 * request (only 503s that carry Retry-After, which the shoppers wait out and retry with the same
 * Idempotency-Key), every process exits 0 within its shutdown bound, nothing committed to an outbox is
 * lost (the outboxes are empty and every order and payment event the databases hold is on the stream),
 * the usual {@link Invariants} hold, and every line every process logged is JSON.
 */
// one split platform at a time: two at once overload two cores (checkout answers 429) and race for free ports
@ResourceLock("split-platform")
class RollingRestartTest {
    /** The services' {@code storefront.shutdown.timeout-ms} (the kit's default). */
    private static final long SHUTDOWN_BOUND_MS = 25_000;
    /** What a JVM may take past its own bound to be gone (exit hooks, a busy 2-core machine). */
    private static final long EXIT_MARGIN_MS = 5_000;
    private static final long DRAIN_MS = 1_000;
    private static final int SHOPPERS = 8;
    /** A stop still running after this long gets a thread dump (the drain is 1 s; a stop takes ~1.5 s). */
    private static final long SLOW_STOP_MS = 4_000;
    /** -Drolling.services=checkout,order restarts only those (default: all eight, in start order). */
    private static final List<Services> RESTARTED = restarted();

    record Restart(Services service, long exitedAfterMs, Integer exitCode, String selfReported, long readyAfterMs) {
        @Override
        public String toString() {
            return String.format("%-9s SIGTERM -> %s after %5d ms (%s); ready again %5d ms after the SIGTERM", service.id(),
                    exitCode == null ? "NOT EXITED" : "exit " + exitCode, exitedAfterMs, selfReported, readyAfterMs);
        }
    }

    @Test
    void aRollingRestartUnderLoadFailsNoRequestAndLosesNoEvent() throws Exception {
        long started = System.nanoTime();
        int offset = Ports.freeSplitOffset();
        Path logs = JsonLogs.clear(offset); // SplitPlatform appends: read only this run's lines

        Map<String, String> extra = Shop.underLoad(Map.of(
                "storefront.shutdown.drain-ms", String.valueOf(DRAIN_MS), // short but real
                "storefront.shutdown.timeout-ms", String.valueOf(SHUTDOWN_BOUND_MS)));
        Shop shop = new Shop(TestEnv.PG_HOST, TestEnv.NATS_URL, extra);
        System.setProperty("storefront.split.start-timeout-ms", "240000");
        System.setProperty("storefront.split.classpath", FaultInjectionTest.privateClasspath());
        System.setProperty("storefront.aot-cache", "off");

        SplitPlatform platform = null;
        Thread reaper = new Thread(() -> { });
        List<Restart> restarts = new ArrayList<>();
        List<String> nonJson = List.of();
        SoftAssertions soft = new SoftAssertions();
        try {
            platform = SplitPlatform.start(shop.settings, offset);
            reaper = new Thread(platform::close); // no orphaned service JVMs if this JVM is stopped
            Runtime.getRuntime().addShutdownHook(reaper);
            soft.assertThat(platform.logDir()).as("SplitPlatform's log directory").isEqualTo(logs);
            shop.connect(platform.port(), Duration.ofSeconds(20));
            long upAfter = seconds(started);

            String admin = shop.admin().accessToken();
            Map<String, Integer> initialStock = new LinkedHashMap<>();
            List<String> products = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int stock = i == 0 ? 15 : 5_000; // one scarce product: some checkouts run out of stock
                String id = shop.newProduct(admin, admin, "Rolling item " + i + " " + shop.id, (5 + i) + ".50", stock);
                products.add(id);
                initialStock.put(id, stock);
            }
            List<CheckoutLoad.Shopper> people = FaultInjectionTest.registerShoppers(shop, SHOPPERS);

            RestartLoad load = new RestartLoad(shop.api, people, products);
            SplitPlatform running = platform;
            try (ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<?> loadRun = background.submit(() -> {
                    load.run();
                    return null;
                });
                try {
                    Thread.sleep(3_000); // steady load first
                    for (Services service : RESTARTED) {
                        Restart restart = restart(running, load, service);
                        restarts.add(restart);
                        System.out.println("RESTART " + restart);
                        Thread.sleep(2_000); // the restarted service under load before the next one goes
                    }
                    load.phase("after");
                    Thread.sleep(2_000);
                } finally {
                    load.stop(Duration.ofSeconds(40));
                }
                loadRun.get(120, TimeUnit.SECONDS);
            }
            long loadDone = seconds(started);

            // settle: sagas end, outboxes drain, mails are made (bounded)
            Invariants invariants = new Invariants(shop, initialStock);
            long settleUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String moving = invariants.unsettled();
            while (!moving.isEmpty() && System.nanoTime() < settleUntil) {
                Thread.sleep(1_000);
                moving = invariants.unsettled();
            }
            List<String> violations = invariants.violations(List.copyOf(load.outcomes));
            Map<String, long[]> events = eventsOnStream(shop);

            System.out.printf("ROLLING: up %ds, load done %ds, settled %ds; requests %d, definite answers %d; checkouts: %d completed, "
                            + "%d declined, %d conflict, %d undecided; failures %d; invariant violations %d%s%n",
                    upAfter, loadDone, seconds(started), load.sent.get(), load.definite.get(), load.count(CheckoutLoad.Kind.COMPLETED),
                    load.count(CheckoutLoad.Kind.DECLINED), load.count(CheckoutLoad.Kind.CONFLICT), load.count(CheckoutLoad.Kind.UNDECIDED),
                    load.failures.size(), violations.size(), moving.isEmpty() ? "" : " (still moving: " + moving + ")" + shop.consumerStates());
            StringBuilder perService = new StringBuilder("ROLLING 503s with Retry-After per phase:");
            for (String phase : phases()) {
                perService.append(' ').append(phase).append('=').append(load.retryAfter503(phase));
            }
            System.out.println(perService);
            Map<String, Long> failuresByKind = new TreeMap<>();
            load.failures.forEach(f -> failuresByKind.merge(f.phase() + " " + f.request() + " " + kind(f.what()), 1L, Long::sum));
            failuresByKind.forEach((k, n) -> System.out.println("  FAILURES " + n + " x " + k));
            load.failures.stream().limit(30).forEach(f -> System.out.println("  FAILURE " + f));
            events.forEach((subject, n) -> System.out.println("  EVENTS " + subject + ": " + n[0] + " in the databases, " + n[1] + " on the stream"));
            violations.stream().limit(40).forEach(line -> System.out.println("  VIOLATION " + line));

            soft.assertThat(restarts).as("restarts").hasSize(RESTARTED.size());
            for (Restart r : restarts) {
                soft.assertThat(r.exitCode()).as(r.service().id() + "'s exit code after SIGTERM").isEqualTo(0);
                soft.assertThat(r.exitedAfterMs()).as(r.service().id() + "'s stop (ms)").isLessThanOrEqualTo(SHUTDOWN_BOUND_MS + EXIT_MARGIN_MS);
                // the stop ran to its end (listener, jobs, relay drain, consumers, pools) before the JVM exited
                soft.assertThat(r.selfReported()).as(r.service().id() + " logged that it stopped").startsWith(r.service().id() + " stopped in ");
            }
            soft.assertThat(load.count(CheckoutLoad.Kind.COMPLETED)).as("completed checkouts").isPositive();
            soft.assertThat(load.failures).as("failed requests (anything but 2xx, 402, 409 or a 503 with Retry-After)").isEmpty();
            soft.assertThat(moving).as("the shop settled (outboxes empty, sagas ended)").isEmpty();
            soft.assertThat(violations).as("invariant violations").isEmpty();
            events.forEach((subject, n) -> soft.assertThat(n[1]).as("events " + subject + " on the stream").isEqualTo(n[0]));
        } finally {
            nonJson = JsonLogs.stopThenReport(platform, reaper, logs);
            shop.dropDatabases();
            shop.deleteStream();
            System.out.println("ROLLING took " + seconds(started) + " s");
            for (Restart r : restarts) {
                System.out.println("  " + r);
            }
        }
        soft.assertThat(nonJson).as("log lines that are not JSON objects (in " + logs + ")").isEmpty();
        soft.assertAll();
    }

    /** SIGTERM, wait for the exit (bounded), start again, wait until the service is ready. */
    private static Restart restart(SplitPlatform platform, RestartLoad load, Services service) throws Exception {
        load.phase(service.id());
        long t = System.nanoTime();
        Process process = platform.terminate(service);
        boolean exited = process.waitFor(SLOW_STOP_MS, TimeUnit.MILLISECONDS);
        if (!exited) {
            dumpThreads(process, service); // what a slow stop waits for (virtual threads included)
            exited = process.waitFor(SHUTDOWN_BOUND_MS + EXIT_MARGIN_MS - millis(t), TimeUnit.MILLISECONDS);
        }
        long exitedAfter = millis(t);
        Integer code = exited ? process.exitValue() : null;
        if (!exited) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        String selfReported = stoppedLine(platform.logDir(), service);
        platform.startService(service);
        awaitReady(platform.servicePort(service), 120_000);
        return new Restart(service, exitedAfter, code, selfReported, millis(t));
    }

    /** {@code jcmd <pid> Thread.dump_to_file} into target/rolling-<service>-stop-threads.txt (best effort). */
    private static void dumpThreads(Process process, Services service) {
        try {
            Path file = Path.of(System.getProperty("faults.report-dir", "target"), "rolling-" + service.id() + "-stop-threads.txt")
                    .toAbsolutePath();
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(process.pid()), "Thread.dump_to_file", "-overwrite", file.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (jcmd.waitFor(10, TimeUnit.SECONDS)) {
                System.out.println("SLOW STOP " + service.id() + ": still running " + SLOW_STOP_MS + " ms after SIGTERM, threads in " + file);
            } else {
                jcmd.destroyForcibly();
            }
        } catch (Exception e) {
            System.out.println("SLOW STOP " + service.id() + ": no thread dump: " + e);
        }
    }

    /** Until the service's readiness answers 200 (it listens, its database and NATS answer). */
    private static void awaitReady(int port, long timeoutMs) throws InterruptedException {
        TestHttp direct = new TestHttp("http://127.0.0.1:" + port, Duration.ofSeconds(3));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            try {
                if (direct.get("/observe/health/ready", null).status() == 200) {
                    return;
                }
            } catch (TestHttp.TransportFailure e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the service on port " + port + " was not ready within " + timeoutMs + " ms");
    }

    /** The message of the service's last "<name> stopped in N ms" log line, or what was logged last. */
    private static String stoppedLine(Path logDir, Services service) {
        try {
            List<String> lines = List.of(new String(Files.readAllBytes(logDir.resolve(service.id() + ".log")), StandardCharsets.UTF_8)
                    .split("\\R"));
            for (int i = lines.size() - 1; i >= 0; i--) {
                try {
                    JsonNode line = Json.mapper().readTree(lines.get(i));
                    String message = line == null ? "" : line.path("message").asText("");
                    if (message.startsWith(service.id() + " stopped in")) {
                        return message;
                    }
                } catch (java.io.IOException e) {
                    // not JSON: the log check reports it
                }
            }
            return "no \"stopped in\" line; last: " + (lines.isEmpty() ? "" : lines.getLast());
        } catch (java.io.IOException e) {
            return "log unreadable: " + e;
        }
    }

    /**
     * For each event type a database can vouch for: how many the databases say were committed, and how many
     * messages the stream holds on its subject (JetStream drops a republished Nats-Msg-Id, so equal means
     * none lost and none doubled).
     */
    private static Map<String, long[]> eventsOnStream(Shop shop) throws Exception {
        Map<String, Long> onStream = new HashMap<>();
        try (Connection nats = Nats.connect(shop.settings.natsUrl())) {
            StreamInfo info = nats.jetStreamManagement().getStreamInfo("F" + shop.id.toUpperCase(), StreamInfoOptions.allSubjects());
            List<Subject> subjects = info.getStreamState().getSubjects();
            if (subjects != null) {
                subjects.forEach(s -> onStream.put(s.getName(), s.getCount()));
            }
        }
        String prefix = "f" + shop.id;
        Map<String, Long> inDatabases = new LinkedHashMap<>();
        inDatabases.put("order.created", shop.count("order", "SELECT count(*) FROM orders"));
        inDatabases.put("order.confirmed", shop.count("order", "SELECT count(*) FROM orders WHERE status = 'CONFIRMED'"));
        inDatabases.put("order.cancelled", shop.count("order", "SELECT count(*) FROM orders WHERE status = 'CANCELLED'"));
        inDatabases.put("payment.succeeded", shop.count("payment", "SELECT count(*) FROM payments WHERE status IN ('COMPLETED', 'REFUNDED')"));
        inDatabases.put("payment.failed", shop.count("payment", "SELECT count(*) FROM payments WHERE status = 'FAILED'"));
        inDatabases.put("payment.refunded", shop.count("payment", "SELECT count(*) FROM payments WHERE status = 'REFUNDED'"));
        Map<String, long[]> both = new LinkedHashMap<>();
        inDatabases.forEach((type, n) -> both.put(type, new long[] {n, onStream.getOrDefault(prefix + "." + type, 0L)}));
        return both;
    }

    private static List<Services> restarted() {
        String only = System.getProperty("rolling.services", "").trim();
        if (only.isEmpty()) {
            return List.of(Services.values());
        }
        List<Services> services = new ArrayList<>();
        for (String id : only.split(",")) {
            services.add(Services.valueOf(id.trim().toUpperCase(java.util.Locale.ROOT)));
        }
        return List.copyOf(services);
    }

    private static List<String> phases() {
        List<String> phases = new ArrayList<>(List.of("steady"));
        for (Services s : RESTARTED) {
            phases.add(s.id());
        }
        phases.add("after");
        return phases;
    }

    private static String kind(String what) {
        int colon = what.indexOf(':');
        String head = colon < 0 ? what : what.substring(0, colon);
        return head.length() > 60 ? head.substring(0, 60) : head;
    }

    private static long millis(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000_000L;
    }

    private static long seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000_000_000L;
    }
}
