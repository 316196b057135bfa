package dev.storefront.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The platform under load: start-up, seeding, and every scenario of issue 8's table. */
final class Scenarios {
    /** BENCH_DB_PREFIX picks other databases (and stream), e.g. for two branches benched on one machine. */
    private static final String PREFIX = System.getenv().getOrDefault("BENCH_DB_PREFIX", "bench_");
    private static final String SMALL_PREFIX = "bench1k_";

    /** One flash-sale race and what the databases said afterwards. */
    record Flash(int shoppers, int units, long completed, long confirmedOrders, long sold, long available, long reserved,
                 long fiveXx, long noAnswer, double slowestMs, Map<String, Long> answers) {
        boolean correct() {
            return completed == units && confirmedOrders == units && sold == units && available == 0 && reserved == 0
                    && fiveXx == 0 && noAnswer == 0 && slowestMs <= Bench.FLASH_ANSWER_MS;
        }
    }

    private final Bench.Options options;
    private final Bench.Sizes sizes;
    private final Path out;
    private final Map<String, Object> raw;
    private final Ceilings ceilings;
    private final Report report;
    private final Load load;
    private Path launcherJar;

    private final List<Double> startWallMs = new ArrayList<>();
    private final List<Double> startReportedMs = new ArrayList<>();
    private final Map<String, List<Double>> serviceStartMs = new TreeMap<>();
    private Load.Searched browse;
    private Load.Searched cart;
    private Load.Searched checkout;
    private final Map<String, List<Double>> scaleP99 = new LinkedHashMap<>();
    private final List<Double> peakRssMiB = new ArrayList<>();
    private final Map<String, List<Double>> servicePeakRssMiB = new TreeMap<>();
    private boolean rssReset = true;
    /** The platform's OTLP endpoint, null when tracing is off; what the bench's sink received. */
    private String tracingEndpoint;
    private String sinkExports;
    private final List<Flash> flashes = new ArrayList<>();
    /** Search index rebuilds measured: from scratch, on an admin's request, at a restart. */
    private final List<SearchIndex.Build> indexBuilds = new ArrayList<>();
    /** The subject of the admin token the bench signs to read the search index's progress. */
    private static final String BENCH_ADMIN = "00000000-0000-4000-8000-0000000be9c0";
    /** How long a rebuild may take: from scratch, 100,000 products at tens of products/s would be most of an hour. */
    private static final java.time.Duration INDEX_WAIT = java.time.Duration.ofMinutes(75);

    Scenarios(Bench.Options options, Bench.Sizes sizes, Path out, GatlingRunner gatling, Map<String, Object> raw,
              Ceilings ceilings, Report report) {
        this.options = options;
        this.sizes = sizes;
        this.out = out;
        this.raw = raw;
        this.ceilings = ceilings;
        this.report = report;
        this.load = new Load(gatling, sizes, options.repeats(), raw);
    }

    /**
     * Config for a bench platform: its own databases and its own JetStream stream, nothing shared with a dev instance;
     * tracing on when {@code --tracing} names an endpoint.
     */
    private Map<String, String> properties(String prefix) {
        String tag = prefix.replace("_", "");
        Map<String, String> properties = new LinkedHashMap<>(Map.of("storefront.db.name-prefix", prefix,
                "storefront.events.stream", tag.toUpperCase(),
                "storefront.events.subject-prefix", tag));
        if (tracingEndpoint != null) {
            properties.put("storefront.tracing.otlp-endpoint", tracingEndpoint);
        }
        return properties;
    }

    private Platform start(String prefix, String label) throws Exception {
        List<String> jvm = new ArrayList<>();
        if (options.jfr()) {
            jvm.add("-XX:StartFlightRecording=filename=" + out.resolve("jfr/" + label + ".jfr") + ",settings=profile,dumponexit=true");
            Files.createDirectories(out.resolve("jfr"));
        }
        return Platform.launcher(launcherJar, options.split(), options.port(), properties(prefix), jvm,
                out.resolve("logs/" + label + ".log"), out.resolve("tmp"));
    }

    void runAll(Path launcherJar) throws Exception {
        this.launcherJar = launcherJar;
        OtlpSink sink = options.tracing().equals("sink") ? new OtlpSink() : null;
        tracingEndpoint = sink != null ? sink.endpoint() : options.tracing().equals("off") ? null : options.tracing();
        raw.put("tracing", options.tracing());
        try {
            runAllScenarios();
        } finally {
            if (sink != null) {
                sink.close();
                raw.put("otlpSink", Map.of("exports", sink.exports(), "bytes", sink.bytes()));
                sinkExports = sink.exports() + " exports, " + sink.bytes() / 1024 + " KiB";
            }
        }
    }

    private void runAllScenarios() throws Exception {
        if (options.runs("scale")) {
            smallCatalog();
        }
        Seeder seeder = new Seeder(PREFIX, launcherJar);
        seeder.ensureProducts(sizes.products(), out.resolve("logs/generate.log"));
        // the first start migrates and makes auth's key: not counted; then each repeat is a timed restart
        System.out.println("bench: starting the platform (" + (options.split() ? "split" : "one process") + ") on port " + options.port());
        start(PREFIX, "first-start").close();
        if (options.runs("index")) {
            indexFromScratch(seeder);
        }
        Platform platform = null;
        for (int r = 0; r < options.repeats(); r++) {
            if (platform != null) {
                platform.close();
            }
            platform = start(PREFIX, "platform-" + (r + 1));
            startWallMs.add((double) platform.readyWallMs);
            startReportedMs.add((double) platform.reportedMs);
            platform.serviceStartupMs().forEach((s, ms) -> serviceStartMs.computeIfAbsent(s, k -> new ArrayList<>()).add((double) ms));
            System.out.printf("bench: start-up %d ms (launcher says %d ms)%s%n", platform.readyWallMs, platform.reportedMs,
                    options.split() ? " services " + platform.serviceStartupMs() : "");
        }
        raw.put("startup", Map.of("wallMs", startWallMs, "launcherReportedMs", startReportedMs, "serviceMs", serviceStartMs));
        try (Platform p = platform) {
            // every start rebuilds the search index in the background: measure once it holds the whole catalog
            indexBuilds.add(SearchIndex.await(new Api(p.baseUrl()), seeder.token(BENCH_ADMIN, "admin"),
                    "at a restart, embedding cache warm", INDEX_WAIT, null));
            underLoad(p, seeder);
        }
    }

    /**
     * Issue 19's (c): the search index from scratch, its embedding cache emptied first, so every product is embedded
     * by the model; then an admin's rebuild on the same platform (the cache now holds every vector).
     */
    private void indexFromScratch(Seeder seeder) throws Exception {
        boolean cleared = SearchIndex.clearEmbeddingCache(seeder);
        System.out.println("bench: search index from scratch" + (cleared ? " (embedding cache emptied)" : " (this build has no embedding cache)"));
        try (Platform p = start(PREFIX, "index-from-scratch")) {
            Api api = new Api(p.baseUrl());
            String admin = seeder.token(BENCH_ADMIN, "admin");
            indexBuilds.add(SearchIndex.await(api, admin, "from scratch at start, " + (cleared ? "embedding cache empty" : "no embedding cache"),
                    INDEX_WAIT, null));
            indexBuilds.add(SearchIndex.rebuild(api, admin, "admin's rebuild (POST /api/search/index), same platform", INDEX_WAIT));
        }
        raw.put("searchIndex", indexBuilds);
    }

    /** Catalog scale, the small side: the same queries against 1,000 products. */
    private void smallCatalog() throws Exception {
        Seeder small = new Seeder(SMALL_PREFIX, launcherJar);
        small.ensureProducts(sizes.smallCatalog(), out.resolve("logs/generate-1k.log"));
        try (Platform p = start(SMALL_PREFIX, "catalog-1k")) {
            SearchIndex.await(new Api(p.baseUrl()), small.token(BENCH_ADMIN, "admin"), "1,000 products", INDEX_WAIT, null);
            Workload.Data data = new Workload.Data(small.sampleProducts(1000), small.categorySlugs(), small.searchWords(300),
                    List.of(), List.of());
            scale("small", sizes.smallCatalog(), p, data);
        }
    }

    private void scale(String label, int products, Platform p, Workload.Data data) {
        runFixed(Workload.Kind.CATALOG_SCALE, p, data, sizes.scaleRate()); // warm-up, not counted
        for (int r = 0; r < options.repeats(); r++) {
            LatencyRecorder rec = runFixed(Workload.Kind.CATALOG_SCALE, p, data, sizes.scaleRate());
            Sample list = rec.sample("list");
            Sample search = rec.sample("search");
            scaleP99.computeIfAbsent("list " + label, k -> new ArrayList<>()).add(list.p99());
            scaleP99.computeIfAbsent("search " + label, k -> new ArrayList<>()).add(search.p99());
            System.out.printf("bench: catalog scale, %,d products at %.0f/s: list p50 %.1f p99 %.1f ms, search p50 %.1f p99 %.1f ms (errors %d)%n",
                    products, sizes.scaleRate(), list.p50(), list.p99(), search.p50(), search.p99(),
                    list.server5xx() + search.server5xx() + list.noResponse() + search.noResponse());
        }
        raw.put("catalogScaleP99", scaleP99);
    }

    private LatencyRecorder runFixed(Workload.Kind kind, Platform p, Workload.Data data, double usersPerSec) {
        return new GatlingRunner(out.resolve("gatling"))
                .run(new Workload.Plan(kind, p.baseUrl(), usersPerSec, sizes.warmup(), load.measureSeconds(usersPerSec), 0, data));
    }

    private static String adminToken(Api api) {
        Api.Reply login = api.post("/api/auth/login", null, Map.of("email", "admin@storefront.local", "password", "admin12345"));
        if (!login.ok()) {
            throw new IllegalStateException("admin login failed: " + login.status() + " " + login.body());
        }
        return login.data().path("accessToken").asText();
    }

    private void underLoad(Platform p, Seeder seeder) throws Exception {
        Api api = new Api(p.baseUrl());
        String admin = adminToken(api);

        List<String> tokens = List.of();
        List<String> spread = seeder.spreadProducts(sizes.spreadProducts());
        if (options.needsShoppers()) {
            System.out.printf("bench: seeding %,d shoppers ...%n", sizes.shoppers());
            tokens = seeder.shoppers(sizes.shoppers());
            seeder.ensureStock(api, admin, spread, 1_000_000);
            seeder.ensureCarts(api, tokens, spread.subList(0, spread.size() / 2), 2);
        }
        int flashFrom = Math.max(0, tokens.size() - sizes.flashShoppers());
        List<String> regular = tokens.subList(0, flashFrom);
        List<String> flashTokens = tokens.subList(flashFrom, tokens.size());
        Workload.Data data = new Workload.Data(seeder.sampleProducts(5000), seeder.categorySlugs(), seeder.searchWords(300),
                regular, spread.subList(spread.size() / 2, spread.size()));

        if (options.runs("browse")) {
            browse = load.search("browse", Workload.Kind.BROWSE, p.baseUrl(), data, Bench.BROWSE_P99_MS, 100, 50_000, 1,
                    List.of("list", "search", "product"));
        }
        if (options.runs("scale")) {
            scale("large", sizes.products(), p, data);
        }
        if (options.runs("cart")) {
            cart = load.search("cart churn", Workload.Kind.CART_CHURN, p.baseUrl(), data, Bench.CART_P99_MS, 60, 30_000, 3,
                    List.of("cart.add", "cart.update", "cart.remove"));
        }
        if (options.runs("checkout")) {
            Map<String, Long> pids = pidsToWatch(p);
            pids.values().forEach(pid -> rssReset &= Platform.resetPeakRss(pid));
            checkout = load.search("checkout", Workload.Kind.CHECKOUT, p.baseUrl(), data, Bench.CHECKOUT_P99_MS, 10, 5_000, 1,
                    List.of("checkout"));
            pids.forEach((name, pid) -> {
                double mib = Platform.peakRssKb(pid) / 1024.0;
                if (name.equals("platform")) {
                    peakRssMiB.add(mib);
                } else {
                    servicePeakRssMiB.computeIfAbsent(name, k -> new ArrayList<>()).add(mib);
                }
            });
            System.out.printf("bench: peak RSS under checkout load: %s MiB%s%n", peakRssMiB, servicePeakRssMiB.isEmpty() ? "" : " services " + servicePeakRssMiB);
            raw.put("peakRssMiB", Map.of("platform", peakRssMiB, "services", servicePeakRssMiB, "resetBeforeLoad", rssReset));
        }
        if (options.runs("flash")) {
            for (int r = 0; r < options.repeats(); r++) {
                // a fresh admin token: the one from the start of the run is older than its 15 minutes by now
                flashes.add(flashSale(p.baseUrl(), api, adminToken(api), seeder, flashTokens));
            }
            raw.put("flashSale", flashes);
        }
    }

    /** Launcher (or gateway) process, and in split mode each service's JVM. */
    private Map<String, Long> pidsToWatch(Platform p) {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("platform", p.pid());
        if (options.split()) {
            pids.putAll(p.servicePids());
        }
        return pids;
    }

    private Flash flashSale(String baseUrl, Api api, String admin, Seeder seeder, List<String> shoppers) throws Exception {
        // a product nobody has stocked yet: exactly `units` go on sale
        Set<String> stocked = new HashSet<>(Db.strings(seeder.db("inventory"), "SELECT product_id::text FROM stock"));
        String product = Db.strings(seeder.db("catalog"), "SELECT id::text FROM products ORDER BY id DESC LIMIT 1000").stream()
                .filter(id -> !stocked.contains(id)).findFirst().orElseThrow(() -> new IllegalStateException("no unstocked product left"));
        Api.Reply added = api.post("/api/inventory/add", admin, Map.of("productId", product, "quantity", sizes.flashUnits()));
        if (!added.ok()) {
            throw new IllegalStateException("flash stock: " + added.status() + " " + added.body());
        }
        System.out.printf("bench: flash sale: %,d shoppers race for %d units of %s ...%n", shoppers.size(), sizes.flashUnits(), product);
        seeder.flashCarts(api, shoppers, product);
        Workload.Data data = new Workload.Data(List.of(), List.of(), List.of(), shoppers, List.of());
        Sample s = new GatlingRunner(out.resolve("gatling"))
                .run(new Workload.Plan(Workload.Kind.FLASH_SALE, baseUrl, 0, 0, 60, shoppers.size(), data))
                .sample("flash");
        Workload.FlashOutcome outcome = Workload.flash();
        Thread.sleep(2000); // let the last commits land before reading the databases
        Map<String, Long> answers = new TreeMap<>();
        outcome.checkoutStatuses.forEach((k, v) -> answers.put(k, v.sum()));
        long completed = outcome.completedOrderIds.size();
        List<String> stock = Db.strings(seeder.db("inventory"),
                "SELECT available || ',' || reserved || ',' || sold FROM stock WHERE product_id = ?::uuid", product);
        String[] avs = stock.isEmpty() ? new String[] {"-1", "-1", "-1"} : stock.get(0).split(",");
        long confirmed = Db.count(seeder.db("order"), "SELECT count(DISTINCT o.id) FROM orders o JOIN order_items i ON i.order_id = o.id "
                + "WHERE i.product_id = ?::uuid AND o.status = 'CONFIRMED'", product);
        Flash flash = new Flash(shoppers.size(), sizes.flashUnits(), completed, confirmed, Long.parseLong(avs[2]),
                Long.parseLong(avs[0]), Long.parseLong(avs[1]), s.server5xx(), s.noResponse(), s.max(), answers);
        System.out.printf("bench: flash sale: answers %s; confirmed orders %d, sold %s, available %s, reserved %s, slowest %.0f ms -> %s%n",
                answers, confirmed, avs[2], avs[0], avs[1], s.max(), flash.correct() ? "correct" : "WRONG");
        return flash;
    }

    // ---- the table ----

    void rows() {
        double trivial = ceilings.trivialRate();
        searchRow("browse: catalog's list with filters and pages, search service's search, product page", "req/s with p99 <= 50 ms", browse, "req/s",
                trivial, "trivial endpoint", 0.30);
        searchRow("cart churn: add, update, remove", "req/s with p99 <= 50 ms", cart, "req/s",
                ceilings.spreadWriteTps.median(), "spread-rows write TPS", 0.50);
        searchRow("checkout: full saga, simulated provider", "checkouts/s with p99 <= 250 ms", checkout, "checkouts/s",
                ceilings.checkoutWritesTps.median(), "checkout-shaped TPS", 0.30);
        flashRow();
        indexRows();
        startupRows();
        memoryRows();
        scaleRow();
        report.note("Load: Gatling " + "3.15.1" + " (Java DSL, in-process), open model: virtual users arrive at a constant rate whatever "
                + "the answers, so slow answers show as latency instead of fewer requests. Each rate is warmed up "
                + sizes.warmup() + " s and measured " + sizes.measure() + " s; the best rate is found by doubling, then bisecting ("
                + sizes.refinements() + " steps). A step passes when p99 meets the goal, < 1% errors and >= 90% of the offered rate answered.");
        report.note("Latency percentiles from HdrHistogram over every request started in the measured window; throughput counts 2xx answers.");
        report.note(switch (options.tracing()) {
            case "off" -> "Tracing off (no storefront.tracing.otlp-endpoint: the kit's no-op tracer, no exporter thread).";
            case "sink" -> "Tracing on: every span sampled and exported over OTLP/HTTP to the bench's own receiver, which accepts "
                    + "and drops each export (" + sinkExports + ").";
            default -> "Tracing on: every span sampled and exported over OTLP/HTTP to " + options.tracing() + ".";
        });
        if (options.needsShoppers() && (cart != null || checkout != null || !flashes.isEmpty())) {
            report.note("Shoppers are rows in auth's users table with tokens signed by auth's own key (registering 10,000 through the API "
                + "costs two bcrypt rounds each and auth rate-limits registrations per address); carts are filled through the cart API.");
        }
        if (!rssReset) {
            report.note("Could not reset VmHWM before the checkout load: peak RSS is since process start.");
        }
    }

    private void searchRow(String scenario, String measure, Load.Searched s, String unit, double ceiling, String ceilingName,
                           double goalRatio) {
        if (s == null) {
            return;
        }
        StepSearch.Step step = s.medianStep();
        Spread rate = s.throughput();
        String result = s.anyFound()
                ? Bench.spread(rate, unit) + "; at that rate p50 " + Bench.fmt(step.sample().p50()) + " / p95 " + Bench.fmt(step.sample().p95())
                  + " / p99 " + Bench.fmt(step.sample().p99()) + " ms"
                : "no rate met p99 (lowest tried " + Bench.fmt(step.rate()) + "/s: p99 " + Bench.fmt(step.sample().p99()) + " ms, "
                  + step.sample().server5xx() + " 5xx, " + step.sample().client4xx() + " 4xx)";
        double ratio = s.anyFound() ? rate.median() / ceiling : Double.NaN;
        report.add(new Report.Row(scenario, measure, result, Bench.fmt(ceiling) + " " + ceilingName, Bench.pct(ratio),
                ">= " + Bench.pct(goalRatio) + " of ceiling", s.anyFound() && ratio >= goalRatio));
        report.point(new Report.Point(scenario.substring(0, scenario.indexOf(':') > 0 ? scenario.indexOf(':') : scenario.length()),
                s.anyFound() ? rate.median() : 0, step.sample().p50(), step.sample().p95(), step.sample().p99()));
    }

    private void flashRow() {
        if (flashes.isEmpty()) {
            return;
        }
        Flash f = flashes.get(0);
        boolean allCorrect = flashes.stream().allMatch(Flash::correct);
        Spread slowest = Spread.of(flashes.stream().map(Flash::slowestMs).toList());
        String per = flashes.stream().map(x -> x.completed() + "/" + x.confirmedOrders() + "/" + x.sold() + "/" + x.available()
                + "/" + x.reserved() + "/" + x.fiveXx()).reduce((a, b) -> a + "; " + b).orElse("");
        report.add(new Report.Row("flash sale: " + f.shoppers() + " shoppers race for " + f.units() + " units",
                "correctness and time",
                (allCorrect ? "correct in all " : "WRONG in some of ") + flashes.size() + " races (completed/confirmed/sold/available/reserved/5xx: "
                        + per + "); slowest answer " + Bench.spread(slowest, "ms"),
                "10 s answer limit", Bench.pct(slowest.median() / Bench.FLASH_ANSWER_MS) + " of the limit",
                "exactly " + f.units() + " confirmed, no oversell, no 5xx, all answered <= 10 s", allCorrect));
    }

    private void indexRows() {
        raw.put("searchIndex", indexBuilds);
        for (SearchIndex.Build b : indexBuilds) {
            report.add(new Report.Row("search index: " + b.label(), "products/s, rebuild start to done (the service's clock)",
                    String.format(java.util.Locale.ROOT, "%,d products in %s s = %s products/s (%,d embedded by the model, %,d from the cache); "
                                    + "load %s -> %s", b.products(), Bench.fmt(b.seconds()), Bench.fmt(b.productsPerSecond()), b.embedded(),
                            b.fromCache(), b.loadBefore(), b.loadAfter()),
                    "", "", "", null));
        }
    }

    private void startupRows() {
        if (startWallMs.isEmpty()) {
            return;
        }
        Spread wall = Spread.of(startWallMs);
        Spread trivial = ceilings.trivialStartMs;
        report.add(new Report.Row("start-up: launcher start to ready (" + (options.split() ? "split" : "one process") + ")",
                "ms, process spawn to the ready line", Bench.spread(wall, "ms") + " (launcher's own count "
                        + Bench.fmt(Spread.of(startReportedMs).median()) + " ms)",
                trivial.isEmpty() ? "" : Bench.fmt(trivial.median()) + " ms trivial Helidon server",
                trivial.isEmpty() ? "" : Bench.fmt(wall.median() / trivial.median()) + "x",
                options.split() ? "(split: each service <= 1 s)" : "<= 3 s", options.split() ? null : wall.median() <= 3000));
        if (options.split() && !serviceStartMs.isEmpty()) {
            StringBuilder each = new StringBuilder();
            double worst = 0;
            for (var e : serviceStartMs.entrySet()) {
                double median = Spread.of(e.getValue()).median();
                worst = Math.max(worst, median);
                each.append(each.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(Bench.fmt(median));
            }
            report.add(new Report.Row("start-up: each service (split)", "ms, JVM start to listening (Helidon's count)",
                    "slowest " + Bench.fmt(worst) + " ms (" + each + ")",
                    trivial.isEmpty() ? "" : Bench.fmt(trivial.median()) + " ms trivial Helidon server",
                    trivial.isEmpty() ? "" : Bench.fmt(worst / trivial.median()) + "x", "<= 1 s each", worst <= 1000));
        }
    }

    private void memoryRows() {
        if (peakRssMiB.isEmpty()) {
            return;
        }
        Spread rss = Spread.of(peakRssMiB);
        Spread trivial = ceilings.trivialRssMiB;
        if (!options.split()) {
            report.add(new Report.Row("memory: peak RSS under checkout load (one process)", "MiB, VmHWM",
                    Bench.spread(rss, "MiB"), trivial.isEmpty() ? "" : Bench.fmt(trivial.median()) + " MiB trivial server under its load",
                    trivial.isEmpty() ? "" : Bench.fmt(rss.median() / trivial.median()) + "x", "<= 512 MiB", rss.median() <= 512));
            return;
        }
        StringBuilder each = new StringBuilder();
        double worst = 0;
        for (var e : servicePeakRssMiB.entrySet()) {
            double median = Spread.of(e.getValue()).median();
            worst = Math.max(worst, median);
            each.append(each.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(Bench.fmt(median));
        }
        report.add(new Report.Row("memory: peak RSS per service under checkout load (split)", "MiB, VmHWM",
                "largest " + Bench.fmt(worst) + " MiB (" + each + "); launcher+gateway " + Bench.fmt(rss.median()) + " MiB",
                trivial.isEmpty() ? "" : Bench.fmt(trivial.median()) + " MiB trivial server under its load",
                trivial.isEmpty() ? "" : Bench.fmt(worst / trivial.median()) + "x", "<= 160 MiB per service", worst <= 160));
    }

    private void scaleRow() {
        if (!scaleP99.containsKey("list small") || !scaleP99.containsKey("list large")) {
            return;
        }
        double list1 = Spread.of(scaleP99.get("list small")).median();
        double listBig = Spread.of(scaleP99.get("list large")).median();
        double search1 = Spread.of(scaleP99.get("search small")).median();
        double searchBig = Spread.of(scaleP99.get("search large")).median();
        report.add(new Report.Row("catalog scale: catalog's list / search service's search p99 at " + String.format("%,d", sizes.products()) + " vs "
                        + String.format("%,d", sizes.smallCatalog()) + " products",
                "p99 ms at " + Bench.fmt(sizes.scaleRate()) + " req/s",
                "list " + Bench.spread(Spread.of(scaleP99.get("list large")), "ms") + ", search " + Bench.spread(Spread.of(scaleP99.get("search large")), "ms"),
                "list " + Bench.fmt(list1) + " ms, search " + Bench.fmt(search1) + " ms at " + String.format("%,d", sizes.smallCatalog()),
                "list " + Bench.fmt(listBig / list1) + "x, search " + Bench.fmt(searchBig / search1) + "x", "list within 2x, search within 1.3x",
                listBig / list1 <= 2 && searchBig / search1 <= 1.3));
    }
}
