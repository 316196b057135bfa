package dev.storefront.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.storefront.common.testing.TestEnv;
import dev.storefront.launcher.Services;
import dev.storefront.launcher.SplitPlatform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every service in its own JVM under a steady checkout load; meanwhile, one at a time and at
 * random moments: kill -9 and restart checkout, order, inventory, payment, notify and cart;
 * restart NATS (a private nats-server of this test); cut every database connection of the
 * services (pg_terminate_backend), or in soak mode restart a private PostgreSQL; and slow the
 * network between checkout and payment past checkout's timeout. Shoppers retry with the same
 * Idempotency-Key. When the load stops and the shop settles, {@link Invariants} must all hold.
 *
 * <p>Bounded by default (about 3 minutes here); {@code -Dfaults.soak=true} runs more shoppers for
 * longer ({@code -Dfaults.soak.minutes}, default 10) with faults on repeat (see faults/soak.sh).
 */
// one split platform at a time: two at once overload two cores (checkout answers 429) and race for free ports
@ResourceLock("split-platform")
class FaultInjectionTest {
    private static final boolean SOAK = Boolean.getBoolean("faults.soak");
    private static final List<Services> KILLED = List.of(Services.CHECKOUT, Services.ORDER, Services.INVENTORY,
            Services.PAYMENT, Services.NOTIFY, Services.CART);

    private final List<String> faultLog = Collections.synchronizedList(new ArrayList<>());
    private final List<Future<CheckoutLoad.Outcome>> timedCheckouts = Collections.synchronizedList(new ArrayList<>());
    private volatile CheckoutLoad load;
    private volatile CheckoutLoad.Shopper timedShopper;
    private volatile String plentiful;
    private final AtomicInteger faults = new AtomicInteger();

    @Test
    void nothingIsLostAndNothingIsChargedTwiceWhileServicesCrash() throws Exception {
        long started = System.nanoTime();
        int shoppers = SOAK ? 40 : 20;
        Duration loadCap = SOAK ? Duration.ofMinutes(Long.getLong("faults.soak.minutes", 10)) : Duration.ofSeconds(150);
        Duration settleLimit = SOAK ? Duration.ofMinutes(3) : Duration.ofSeconds(120);

        PrivateNats nats = PrivateNats.available() ? new PrivateNats() : null;
        PrivatePostgres postgres = SOAK && PrivatePostgres.available() ? new PrivatePostgres() : null;
        int offset = Ports.freeSplitOffset();
        Path logs = JsonLogs.clear(offset); // SplitPlatform appends: the log check reads only this run's lines
        List<String> nonJson = List.of();
        SlowProxy paymentLink = new SlowProxy(Services.PAYMENT.splitPort + offset);

        Map<String, String> extra = Shop.underLoad(Map.of(
                "storefront.services.payment.url", "http://127.0.0.1:" + paymentLink.port()));
        Shop shop = new Shop(postgres != null ? postgres.host() : TestEnv.PG_HOST, nats != null ? nats.url() : TestEnv.NATS_URL, extra);
        SplitPlatform platform = null;
        // eight JVMs starting on a busy 2-core machine take their time (they run C1 only, see SplitPlatform)
        System.setProperty("storefront.split.start-timeout-ms", "240000");
        System.setProperty("storefront.split.classpath", privateClasspath());
        // a class cache trained on this run's private classpath would never be used again, and writing
        // eight of them when the services stop costs seconds of CPU
        System.setProperty("storefront.aot-cache", "off");
        Thread reaper = new Thread(() -> { });
        try {
            platform = SplitPlatform.start(shop.settings, offset);
            SplitPlatform started0 = platform;
            reaper = new Thread(started0::close); // no orphaned service JVMs if this JVM is stopped
            Runtime.getRuntime().addShutdownHook(reaper);
            shop.connect(platform.port(), Duration.ofSeconds(20));
            long upAfter = seconds(started);

            // the shop: a few plentiful products and one scarce one (so some checkouts run out of stock)
            String admin = shop.admin().accessToken();
            Map<String, Integer> initialStock = new LinkedHashMap<>();
            List<String> products = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int stock = i == 0 ? 20 : 5_000;
                String id = shop.newProduct(admin, admin, "Fault item " + i + " " + shop.id, (7 + i) + ".25", stock);
                products.add(id);
                initialStock.put(id, stock);
            }
            List<CheckoutLoad.Shopper> people = registerShoppers(shop, shoppers + 1);
            timedShopper = people.removeLast(); // buys across the slow network on cue

            CheckoutLoad load = new CheckoutLoad(shop.api, people, products, Duration.ofSeconds(SOAK ? 120 : 60));
            this.load = load;
            this.plentiful = products.get(1);
            SplitPlatform running = platform;
            try (ExecutorService both = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<?> loadRun = both.submit(() -> {
                    load.run(loadCap, Duration.ofSeconds(SOAK ? 90 : 40));
                    return null;
                });
                Future<?> faultRun = both.submit(() -> {
                    injectFaults(running, shop, nats, postgres, paymentLink, loadCap);
                    load.stopIn(Duration.ofSeconds(SOAK ? 30 : 8)); // a little calm load after the last fault
                    return null;
                });
                faultRun.get();
                loadRun.get();
            }
            for (Future<CheckoutLoad.Outcome> timed : timedCheckouts) {
                System.out.println("TIMED checkout across the slow network: " + timed.get());
            }
            long loadDone = seconds(started);

            // settle: sagas end, outboxes drain, mails are made (bounded)
            Invariants invariants = new Invariants(shop, initialStock);
            long settleUntil = System.nanoTime() + settleLimit.toNanos();
            String moving = invariants.unsettled();
            while (!moving.isEmpty() && System.nanoTime() < settleUntil) {
                Thread.sleep(1_000);
                moving = invariants.unsettled();
            }
            List<CheckoutLoad.Outcome> outcomes = List.copyOf(load.outcomes);
            List<String> violations = invariants.violations(outcomes);

            String summary = String.format(
                    "FAULTS %s: requests sent %d, answered %d, retried %d (no answer %d, 5xx %d, 429 %d); checkouts: %d completed, "
                            + "%d declined, %d conflict, %d refused, %d undecided; faults injected %d; slow answers %d; "
                            + "invariant violations %d; up %ds, load done %ds, settled %ds%s",
                    SOAK ? "soak" : "bounded", load.sent.get(), load.answered.get(), load.retried.get(), load.noAnswer.get(),
                    load.serverErrors.get(), load.rateLimited.get(), load.count(CheckoutLoad.Kind.COMPLETED),
                    load.count(CheckoutLoad.Kind.DECLINED), load.count(CheckoutLoad.Kind.CONFLICT),
                    load.count(CheckoutLoad.Kind.REJECTED), load.count(CheckoutLoad.Kind.UNDECIDED), faults.get(),
                    paymentLink.delayed(), violations.size(), upAfter, loadDone, seconds(started),
                    moving.isEmpty() ? "" : " (still moving: " + moving + ")" + shop.consumerStates());
            System.out.println(summary);
            report(summary, violations);
            violations.stream().limit(40).forEach(line -> System.out.println("  VIOLATION " + line));
            if (!violations.isEmpty()) {
                System.out.println("  service logs: " + platform.logDir());
            }

            assertThat(faults.get()).as("faults injected").isGreaterThanOrEqualTo(KILLED.size() + 2);
            assertThat(paymentLink.delayed()).as("payment answers held back past checkout's timeout").isPositive();
            assertThat(load.count(CheckoutLoad.Kind.COMPLETED)).as("completed checkouts").isPositive();
            assertThat(violations).as(summary).isEmpty();
            assertThat(moving).as("the shop settled").isEmpty();
        } finally {
            nonJson = JsonLogs.stopThenReport(platform, reaper, logs);
            paymentLink.close();
            shop.dropDatabases();
            shop.deleteStream();
            if (nats != null) {
                nats.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        }
        // every line of every process (kill -9 and restarts included) is one JSON object
        assertThat(nonJson).as("log lines that are not JSON objects (in " + logs + ")").isEmpty();
    }

    /** One fault at a time, in random order, at random moments; on repeat in soak mode. */
    private void injectFaults(SplitPlatform platform, Shop shop, PrivateNats nats, PrivatePostgres postgres, SlowProxy paymentLink,
                              Duration loadCap) throws Exception {
        long end = System.nanoTime() + loadCap.minusSeconds(SOAK ? 60 : 20).toNanos();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int round = 0;
        do {
            List<Runnable> plan = new ArrayList<>();
            for (Services s : KILLED) {
                plan.add(() -> killAndRestart(platform, s));
            }
            plan.add(() -> cutDatabaseConnections(shop));
            plan.add(() -> slowNetwork(paymentLink, SOAK ? 15_000 : 8_000));
            if (nats != null) {
                plan.add(() -> restartNats(nats));
            }
            if (postgres != null) {
                plan.add(() -> restartPostgres(postgres));
            }
            Collections.shuffle(plan);
            for (Runnable fault : plan) {
                if (round > 0 && System.nanoTime() > end) {
                    return;
                }
                Thread.sleep(SOAK ? 5_000 + random.nextInt(15_000) : 1_000 + random.nextInt(2_500));
                fault.run();
            }
            round++;
        } while (SOAK && System.nanoTime() < end);
    }

    private void killAndRestart(SplitPlatform platform, Services service) {
        try {
            long t = System.nanoTime();
            platform.kill(service);
            Thread.sleep(ThreadLocalRandom.current().nextInt(200, 1_500));
            platform.startService(service);
            platform.awaitService(service, 90_000);
            fault("kill -9 " + service.id() + ", back in " + seconds(t) + "s");
        } catch (Exception e) {
            throw new IllegalStateException("restart of " + service.id() + " failed", e);
        }
    }

    private void cutDatabaseConnections(Shop shop) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + shop.settings.dbHost() + "/postgres",
                shop.settings.dbUser(), shop.settings.dbPassword()); var st = c.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname LIKE ? AND pid <> pg_backend_pid()")) {
            long total = 0;
            for (int i = 0; i < 3; i++) { // a short outage: connections cut again as the pools reconnect
                st.setString(1, shop.settings.dbPrefix().replace("_", "\\_") + "%");
                try (var rs = st.executeQuery()) {
                    rs.next();
                    total += rs.getLong(1);
                }
                Thread.sleep(700);
            }
            fault("database connections terminated (" + total + ")");
        } catch (Exception e) {
            throw new IllegalStateException("cutting database connections failed", e);
        }
    }

    private void slowNetwork(SlowProxy paymentLink, long forMs) {
        try {
            paymentLink.delay(4_000); // past checkout's 3 s timeout: the charge happens, the answer is late
            // a purchase on cue, so the fault always meets a charge (its outcome is checked with the rest)
            java.util.concurrent.FutureTask<CheckoutLoad.Outcome> timed = new java.util.concurrent.FutureTask<>(
                    () -> load.checkoutOnce(timedShopper, plentiful));
            Thread.ofVirtual().name("timed-checkout").start(timed);
            timedCheckouts.add(timed);
            Thread.sleep(forMs);
            // Other faults may have held the cued purchase up before it reached payment: keep the
            // link slow (bounded) until at least one answer has really been held back.
            long until = System.nanoTime() + Duration.ofSeconds(SOAK ? 60 : 40).toNanos();
            while (paymentLink.delayed() == 0 && System.nanoTime() < until) {
                Thread.sleep(250);
            }
            paymentLink.delay(0);
            fault("checkout -> payment answers delayed 4s for " + forMs / 1000 + "s or more (" + paymentLink.delayed() + " held back)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void restartNats(PrivateNats nats) {
        try {
            long t = System.nanoTime();
            nats.restart(SOAK && ThreadLocalRandom.current().nextBoolean(), 1_000);
            fault("NATS restarted in " + seconds(t) + "s");
        } catch (Exception e) {
            throw new IllegalStateException("NATS restart failed", e);
        }
    }

    private void restartPostgres(PrivatePostgres postgres) {
        try {
            long t = System.nanoTime();
            postgres.restart(ThreadLocalRandom.current().nextBoolean(), 2_000);
            fault("PostgreSQL restarted in " + seconds(t) + "s");
        } catch (Exception e) {
            throw new IllegalStateException("PostgreSQL restart failed", e);
        }
    }

    private void fault(String what) {
        faults.incrementAndGet();
        faultLog.add(what);
        System.out.println("FAULT " + what);
    }

    static List<CheckoutLoad.Shopper> registerShoppers(Shop shop, int n) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<CheckoutLoad.Shopper>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    Shop.Session s = shop.newUser("Load Shopper " + index, "customer");
                    return new CheckoutLoad.Shopper(s.userId(), s.accessToken());
                }));
            }
            List<CheckoutLoad.Shopper> shoppers = new ArrayList<>();
            for (Future<CheckoutLoad.Shopper> f : futures) {
                shoppers.add(f.get());
            }
            return shoppers;
        }
    }

    private void report(String summary, List<String> violations) {
        try {
            Path dir = Path.of(System.getProperty("faults.report-dir", "target"));
            Files.createDirectories(dir);
            StringBuilder md = new StringBuilder("# Fault injection (" + (SOAK ? "soak" : "bounded") + ")\n\n")
                    .append(summary).append("\n\n## Faults\n\n");
            faultLog.forEach(f -> md.append("- ").append(f).append('\n'));
            md.append("\n## Invariant violations\n\n");
            if (violations.isEmpty()) {
                md.append("none\n");
            }
            violations.forEach(v -> md.append("- ").append(v).append('\n'));
            Files.writeString(dir.resolve(SOAK ? "fault-soak.md" : "fault-injection.md"), md);
        } catch (java.io.IOException e) {
            System.out.println("could not write the fault report: " + e);
        }
    }

    /**
     * The services' classpath with our own jars copied aside: a service restarted mid-test must not
     * load a storefront jar that someone is re-installing into the shared local repository meanwhile.
     */
    static String privateClasspath() throws java.io.IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path dir = Files.createDirectories(Path.of(System.getProperty("faults.report-dir", "target"), "split-classpath"));
        List<String> entries = new ArrayList<>();
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            if (entry.endsWith(".jar") && path.getFileName().toString().startsWith("storefront-") && Files.isRegularFile(path)) {
                Path copy = dir.resolve(path.getFileName());
                Files.copy(path, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                entries.add(copy.toString());
            } else {
                entries.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static long seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000_000_000L;
    }
}
