package dev.storefront.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;

/**
 * The analytics bench (opt-in: {@code bench/analytics.sh}, never part of {@code mvn verify} or run.sh):
 * <ol>
 * <li>ceilings in the same run: pgbench inserting events-shaped rows, one per transaction and 500 per
 * transaction (what a client batch is);</li>
 * <li>catalog browse rate (product pages, closed loop) with catalog's view events off, then on;</li>
 * <li>ingestion: events/s accepted by {@code POST /api/analytics/events} (batches of 500, 8 clients), and
 * from the bus (activity batches published straight to JetStream, until the rollups hold them all),
 * each checked exactly against the rollups;</li>
 * <li>query p50/p99 of the dashboard, popular and trending over rollups seeded for 100 thousand and
 * then {@code --big} (10 million) events, written straight with SQL generate_series.</li>
 * </ol>
 * Usage: {@code java -cp storefront-bench.jar dev.storefront.bench.AnalyticsBench --launcher launcher.jar
 * [--port 18180] [--results bench/results] [--big 10000000] [--seconds 15] [--rounds 3] [--only browse|queries]}.
 * Browse runs off/on (in split mode; "on" with analytics ingesting and with it paused) {@code --rounds} times,
 * interleaved (off, on, off, on...), so the shared machine's
 * changing load hits both alike; each query is measured {@code --rounds} times and the medians reported.
 */
final class AnalyticsBench {
    private static final String PREFIX = "bencha_";
    private static final String TAG = "bencha";
    private static final String DB = PREFIX + "analytics";
    private final Path launcherJar;
    private final int port;
    private final long big;
    private final int seconds;
    private final Path out;
    private final int rounds;
    private final String only;
    private final Map<String, String> results = new LinkedHashMap<>();
    /** Where the CPU went in each browse run (cores, by thread group and database). */
    private final List<String> cpu = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private AnalyticsBench(Path launcherJar, int port, long big, int seconds, Path out, int rounds, String only) {
        this.rounds = rounds;
        this.only = only;
        this.launcherJar = launcherJar;
        this.port = port;
        this.big = big;
        this.seconds = seconds;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path out = Path.of(a.getOrDefault("--results", "bench/results")).resolve(stamp + "-analytics");
        Files.createDirectories(out);
        new AnalyticsBench(Path.of(a.getOrDefault("--launcher", "launcher/target/storefront-launcher.jar")),
                Integer.parseInt(a.getOrDefault("--port", "18180")), Long.parseLong(a.getOrDefault("--big", "10000000")),
                Integer.parseInt(a.getOrDefault("--seconds", "15")), out, Integer.parseInt(a.getOrDefault("--rounds", "3")),
                a.getOrDefault("--only", "all")).run();
    }

    private void note(String key, String value) {
        results.put(key, value);
        System.out.println("analytics-bench: " + key + " = " + value);
    }

    private void run() throws Exception {
        note("load average (1, 5, 15 min) at the start", loadAverage());
        boolean all = only.equals("all");
        boolean browse = all || only.equals("browse"); // with the ceilings and the ingestion rates
        if (browse) {
            ceilings();
        }
        for (String db : Db.strings("postgres", "SELECT datname FROM pg_database WHERE datname LIKE 'bencha\\_%'")) {
            Db.update("postgres", "DROP DATABASE " + db + " WITH (FORCE)"); // a clean shop each run: exact counts
        }
        Seeder seeder = new Seeder(PREFIX, launcherJar);
        if (browse) {
            browseInterleaved(seeder);
            try (Platform p = start(true, "ingestion")) {
                Thread.sleep(3_000); // the views the browse made reach analytics before the exact counts below
                postIngestion(seeder);
                busIngestion();
            }
        }
        if (all || only.equals("queries")) {
            try (Platform p = start(true, "queries")) {
                queries(seeder.token(UUID.randomUUID().toString(), "admin"), 100_000);
                if (big > 100_000) {
                    queries(seeder.token(UUID.randomUUID().toString(), "admin"), big);
                }
            }
        }
        note("load average (1, 5, 15 min) at the end", loadAverage());
        StringBuilder md = new StringBuilder("# Analytics bench\n\n| measure | value |\n|---|---|\n");
        results.forEach((k, v) -> {
            if (!k.startsWith("_")) { // internal values (the ceiling the ratios use)
                md.append("| ").append(k).append(" | ").append(v).append(" |\n");
            }
        });
        if (!cpu.isEmpty()) {
            md.append("\nCPU during each measured browse run (cores in use, from /proc; jvm: the platform's threads by name, "
                    + "postgres: the backends serving each bench database):\n\n").append(String.join("\n", cpu)).append('\n');
        }
        Files.writeString(out.resolve("report.md"), md);
        System.out.println(md);
        System.out.println("analytics-bench: report in " + out.resolve("report.md"));
    }

    private Platform start(boolean views, String label) throws Exception {
        return start(views, false, label);
    }

    private Platform start(boolean views, boolean split, String label) throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("storefront.db.name-prefix", PREFIX);
        props.put("storefront.events.stream", TAG.toUpperCase(Locale.ROOT));
        props.put("storefront.events.subject-prefix", TAG);
        props.put("storefront.catalog.activity.enabled", String.valueOf(views));
        props.put("storefront.analytics.batches-per-minute", "100000"); // the bench measures throughput, not the limiter
        return Platform.launcher(launcherJar, split, port, props, List.of(), out.resolve("logs/" + label + ".log"), out.resolve("tmp"));
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private int send(String method, String path, String token, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return 0;
        }
    }

    // ---- ceilings ----------------------------------------------------------------------------------

    private void ceilings() throws Exception {
        String db = "bench_pgbench_analytics";
        if (!Db.exists(db)) {
            Db.update("postgres", "CREATE DATABASE " + db);
        }
        Db.update(db, "DROP TABLE IF EXISTS events_ceiling");
        Db.update(db, """
                CREATE TABLE events_ceiling (id uuid NOT NULL, occurred_at timestamptz NOT NULL, received_at timestamptz NOT NULL DEFAULT now(),
                    type text NOT NULL, origin text NOT NULL, user_id uuid, session_id text, product_id uuid, query text,
                    result_count int, quantity int, order_id uuid, amount numeric(12,2), path text, PRIMARY KEY (id, occurred_at))""");
        Path dir = Files.createDirectories(out.resolve("pgbench"));
        Path one = dir.resolve("one.sql");
        Files.writeString(one, "INSERT INTO events_ceiling (id, occurred_at, type, origin, product_id, session_id) "
                + "VALUES (gen_random_uuid(), now(), 'product_view', 'client', gen_random_uuid(), 'session-1');\n");
        Path batch = dir.resolve("batch.sql");
        Files.writeString(batch, "INSERT INTO events_ceiling (id, occurred_at, type, origin, product_id, session_id) "
                + "SELECT gen_random_uuid(), now(), 'product_view', 'client', gen_random_uuid(), 'session-1' FROM generate_series(1, 500);\n");
        double tpsOne = pgbench(one, db);
        double tpsBatch = pgbench(batch, db);
        note("ceiling: pgbench insert, 1 event per transaction (8 clients)", String.format(Locale.ROOT, "%.0f events/s", tpsOne));
        note("ceiling: pgbench insert, 500 events per transaction (8 clients)", String.format(Locale.ROOT, "%.0f events/s", tpsBatch * 500));
        results.put("_ceilingBatch", String.valueOf(tpsBatch * 500));
        Db.update(db, "DROP TABLE events_ceiling");
    }

    private double pgbench(Path script, String db) throws Exception {
        String[] hp = Db.HOST.split(":");
        String text = Processes.output(new ProcessBuilder("pgbench", "-h", hp[0], "-p", hp.length > 1 ? hp[1] : "5432", "-U", "postgres",
                "-n", "-c", "8", "-j", "2", "-T", String.valueOf(seconds), "-f", script.toString(), db).redirectErrorStream(true), seconds + 120);
        var m = java.util.regex.Pattern.compile("tps = ([\\d.]+) \\(without initial connection time\\)").matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("pgbench printed no tps:\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    // ---- browse ------------------------------------------------------------------------------------

    /**
     * Browse with view events off, then on, {@code rounds} times over, in split mode (each service its own
     * JVM, as on Kubernetes). Each platform is measured twice in a row, so both sides have the same age (a fresh
     * JVM's JIT keeps warming through the first run): views off twice; views on first with analytics consuming,
     * then with analytics' JVM paused (SIGSTOP) for the run, so what remains is catalog's own price of the events
     * (buffer, flush, outbox, relay); analytics is resumed after and catches up from the stream. Each "on" is set
     * against the "off" in the same position just before it (the nearest in time and so in load). On this 2-core
     * machine the first "on" also pays analytics' ingestion on the cores catalog uses; on a cluster analytics has
     * its own. Medians, ranges and the median of the per-pair ratios.
     */
    private void browseInterleaved(Seeder seeder) throws Exception {
        List<Double> offs = new ArrayList<>();
        List<Double> offsSecond = new ArrayList<>();
        List<Double> ons = new ArrayList<>();
        List<Double> paused = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> pausedRatios = new ArrayList<>();
        List<String> sequence = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (boolean views : new boolean[] {false, true}) {
                try (Platform p = start(views, true, (views ? "views-on-" : "views-off-") + (r + 1))) {
                    if (r == 0 && !views) {
                        seeder.ensureProducts(1_000, out.resolve("logs/products.log"));
                    }
                    closedLoop(seeder.sampleProducts(1_000), 10); // warm-up: a fresh JVM's JIT, the response cache, the pools
                    double rate = measuredBrowse(seeder, p, views ? "on" : "off", r);
                    (views ? ons : offs).add(rate);
                    sequence.add(String.format(Locale.ROOT, "%s %.0f", views ? "on" : "off", rate));
                    if (!views) {
                        double again = measuredBrowse(seeder, p, "off, second run", r);
                        offsSecond.add(again);
                        sequence.add(String.format(Locale.ROOT, "off/second %.0f", again));
                        continue;
                    }
                    ratios.add(rate / offs.getLast() - 1);
                    long analytics = p.servicePids().get("analytics");
                    signal("STOP", analytics);
                    try {
                        double still = measuredBrowse(seeder, p, "on, analytics paused", r);
                        paused.add(still);
                        pausedRatios.add(still / offsSecond.getLast() - 1);
                        sequence.add(String.format(Locale.ROOT, "on/paused %.0f", still));
                    } finally {
                        signal("CONT", analytics);
                    }
                }
            }
        }
        note("browse product pages req/s, view events off, first run (split mode, median of " + rounds + ")", rates(Spread.of(offs)));
        note("browse product pages req/s, view events on, analytics ingesting on the same 2 cores, first run (median of " + rounds + ")",
                rates(Spread.of(ons)));
        note("browse product pages req/s, view events off, second run (median of " + rounds + ")", rates(Spread.of(offsSecond)));
        note("browse product pages req/s, view events on, analytics paused, second run: catalog's own cost (median of " + rounds + ")",
                rates(Spread.of(paused)));
        note("browse, on (analytics ingesting) against off, first runs (median of " + rounds + " pairs)", percents(Spread.of(ratios)));
        note("browse, on (analytics paused) against off, second runs (median of " + rounds + " pairs)",
                percents(Spread.of(pausedRatios)) + "; in order: " + String.join(", ", sequence));
    }

    /** A rate's median and range, e.g. "1141 (746-1350)". */
    private static String rates(Spread s) {
        return String.format(Locale.ROOT, "%.0f (%.0f-%.0f)", s.median(), s.min(), s.max());
    }

    /** A ratio's median and range as percentages, e.g. "-4.7% (-8.8% to +65.9%)". */
    private static String percents(Spread s) {
        return String.format(Locale.ROOT, "%+.1f%% (%+.1f%% to %+.1f%%)", s.median() * 100, s.min() * 100, s.max() * 100);
    }

    /** One measured closed-loop browse run, with where the CPU went (per service JVM, database, load generator). */
    private double measuredBrowse(Seeder seeder, Platform p, String label, int round) throws Exception {
        Map<String, Long> pids = p.servicePids();
        Map<String, Long> before = ThreadCpu.snapshot(pids, PREFIX);
        long t0 = System.nanoTime();
        double rate = closedLoop(seeder.sampleProducts(1_000), seconds);
        cpu.add(String.format(Locale.ROOT, "- views %s, round %d (%.0f req/s): %s", label, round + 1, rate,
                ThreadCpu.between(before, ThreadCpu.snapshot(pids, PREFIX), (System.nanoTime() - t0) / 1e9, 10)));
        return rate;
    }

    private static void signal(String name, long pid) throws Exception {
        int rc = new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).inheritIO().start().waitFor();
        if (rc != 0) {
            throw new IllegalStateException("kill -" + name + " " + pid + " failed (" + rc + ")");
        }
    }

    private double closedLoop(List<String> products, int secs) throws Exception {
        AtomicLong ok = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(secs).toNanos();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 16; c++) {
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        String id = products.get(ThreadLocalRandom.current().nextInt(products.size()));
                        if (send("GET", "/api/products/" + id, null, null) == 200) {
                            ok.incrementAndGet();
                        }
                    }
                });
            }
        }
        return ok.get() / (double) secs;
    }

    // ---- ingestion ---------------------------------------------------------------------------------

    private static String viewBatch(UUID product, int n, String session) {
        StringBuilder sb = new StringBuilder("{\"events\":[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":\"").append(UUID.randomUUID()).append("\",\"type\":\"product_view\",\"productId\":\"")
                    .append(product).append("\"").append(session == null ? "" : ",\"sessionId\":\"" + session + "\"").append('}');
        }
        return sb.append("]}").toString();
    }

    private void postIngestion(Seeder seeder) throws Exception {
        UUID product = UUID.randomUUID();
        List<String> tokens = seeder.shoppers(8);
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String token : tokens) {
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        if (send("POST", "/api/analytics/events", token, viewBatch(product, 500, null)) == 202) {
                            accepted.addAndGet(500);
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                });
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        long counted = Db.count(DB, "SELECT coalesce(sum(views), 0) FROM product_daily WHERE product_id = ?", product);
        double rate = accepted.get() / secs;
        note("ingestion via POST /api/analytics/events (batches of 500, 8 clients)", String.format(Locale.ROOT,
                "%.0f events/s (%.0f%% of the 500-per-transaction ceiling); %,d accepted, %,d counted in rollups, %d failed requests",
                rate, 100 * rate / Double.parseDouble(results.get("_ceilingBatch")), accepted.get(), counted, failed.get()));
    }

    private void busIngestion() throws Exception {
        UUID product = UUID.randomUUID();
        int batches = 100;
        int perBatch = 500;
        try (Connection nats = Nats.connect(System.getProperty("bench.nats.url", "nats://127.0.0.1:4222"))) {
            JetStream js = nats.jetStream();
            long start = System.nanoTime();
            for (int b = 0; b < batches; b++) {
                StringBuilder events = new StringBuilder("[");
                for (int i = 0; i < perBatch; i++) {
                    events.append(i == 0 ? "" : ",").append("{\"id\":\"").append(UUID.randomUUID())
                            .append("\",\"type\":\"product_view\",\"productId\":\"").append(product).append("\"}");
                }
                String id = UUID.randomUUID().toString();
                String envelope = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/storefront/bench\",\"type\":\"storefront.product.activity\","
                        + "\"time\":\"" + java.time.Instant.now() + "\",\"datacontenttype\":\"application/json\",\"data\":{\"events\":" + events + "]}}";
                js.publish(NatsMessage.builder().subject(TAG + ".product.activity").headers(new Headers().add("Nats-Msg-Id", id))
                        .data(envelope.getBytes(StandardCharsets.UTF_8)).build());
            }
            long expected = (long) batches * perBatch;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            long counted = 0;
            while (System.nanoTime() < deadline && (counted = Db.count(DB, "SELECT coalesce(sum(views), 0) FROM product_daily WHERE product_id = ?", product)) < expected) {
                Thread.sleep(50);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            note("ingestion from the bus (100 activity batches of 500, publish to counted)", String.format(Locale.ROOT,
                    "%.0f events/s (%.0f%% of the 500-per-transaction ceiling); %,d published, %,d counted", expected / secs,
                    100 * expected / secs / Double.parseDouble(results.get("_ceilingBatch")), expected, counted));
        }
    }

    // ---- queries -----------------------------------------------------------------------------------

    /** Raw events and rollups for {@code total} events over 90 days, 10,000 products, 2,000 queries, written with SQL. */
    private void seed(long total) {
        long have = Db.count(DB, "SELECT count(*) FROM events WHERE origin = 'bus' AND session_id LIKE 'seed-%'");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int d = 0; d <= 90; d++) {
            LocalDate day = today.minusDays(d);
            Db.update(DB, "CREATE TABLE IF NOT EXISTS events_" + day.toString().replace("-", "") + " PARTITION OF events FOR VALUES FROM ('"
                    + day.atStartOfDay(ZoneOffset.UTC).toInstant() + "') TO ('" + day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant() + "')");
        }
        long t0 = System.nanoTime();
        for (long from = have; from < total; from += 1_000_000) {
            long to = Math.min(total, from + 1_000_000);
            Db.update(DB, """
                    INSERT INTO events (id, occurred_at, type, origin, session_id, product_id, query, result_count, order_id, amount)
                    SELECT gen_random_uuid(), now() - random() * interval '89 days',
                           (ARRAY['product_view','product_view','product_view','product_view','product_view','product_view',
                                  'product_view','product_search','product_search','product_search','add_to_cart','add_to_cart',
                                  'purchase','product_view','product_view','product_view','product_view','product_search',
                                  'add_to_cart','product_view'])[1 + g % 20],
                           'bus', 'seed-' || (g % 200000),
                           CASE WHEN g % 20 IN (7, 8, 9, 17) THEN NULL ELSE md5('p' || (g % 10000))::uuid END,
                           CASE WHEN g % 20 IN (7, 8, 9, 17) THEN 'query ' || (g % 2000) END,
                           CASE WHEN g % 20 IN (7, 8, 9, 17) THEN (g % 7) END,
                           CASE WHEN g % 20 = 12 THEN gen_random_uuid() END,
                           CASE WHEN g % 20 = 12 THEN 10 + (g % 90) END
                    FROM generate_series(?::bigint, ?::bigint) g""", from, to - 1);
        }
        long t1 = System.nanoTime();
        // the rollups the service would have written, built in one pass over the raw events
        for (String sql : new String[] {
                // the window totals are left empty: the service builds them from these rollups on the first question
                "TRUNCATE product_hourly, product_daily, search_hourly, search_daily, shop_hourly, shop_daily, product_window, search_window, window_state",
                """
                INSERT INTO product_daily SELECT (occurred_at AT TIME ZONE 'UTC')::date, product_id,
                    count(*) FILTER (WHERE type = 'product_view'), count(*) FILTER (WHERE type = 'add_to_cart'),
                    count(*) FILTER (WHERE type = 'purchase'), coalesce(sum(amount) FILTER (WHERE type = 'purchase'), 0)
                FROM events WHERE product_id IS NOT NULL GROUP BY 1, 2""",
                """
                INSERT INTO product_hourly SELECT date_trunc('hour', occurred_at AT TIME ZONE 'UTC'), product_id,
                    count(*) FILTER (WHERE type = 'product_view'), count(*) FILTER (WHERE type = 'add_to_cart'),
                    count(*) FILTER (WHERE type = 'purchase'), coalesce(sum(amount) FILTER (WHERE type = 'purchase'), 0)
                FROM events WHERE product_id IS NOT NULL AND occurred_at > now() - interval '8 days' GROUP BY 1, 2""",
                """
                INSERT INTO search_daily SELECT (occurred_at AT TIME ZONE 'UTC')::date, query, count(*), count(*) FILTER (WHERE result_count = 0)
                FROM events WHERE type = 'product_search' GROUP BY 1, 2""",
                """
                INSERT INTO search_hourly SELECT date_trunc('hour', occurred_at AT TIME ZONE 'UTC'), query, count(*), count(*) FILTER (WHERE result_count = 0)
                FROM events WHERE type = 'product_search' AND occurred_at > now() - interval '8 days' GROUP BY 1, 2""",
                """
                INSERT INTO shop_daily (day, sessions, cart_sessions, views, searches, adds, orders, revenue)
                SELECT (occurred_at AT TIME ZONE 'UTC')::date, count(DISTINCT session_id), count(DISTINCT session_id) FILTER (WHERE type = 'add_to_cart'),
                    count(*) FILTER (WHERE type = 'product_view'), count(*) FILTER (WHERE type = 'product_search'),
                    count(*) FILTER (WHERE type = 'add_to_cart'), count(*) FILTER (WHERE type = 'purchase'),
                    coalesce(sum(amount) FILTER (WHERE type = 'purchase'), 0)
                FROM events GROUP BY 1""",
                "VACUUM ANALYZE product_daily", "VACUUM ANALYZE product_hourly", "VACUUM ANALYZE search_daily",
                "VACUUM ANALYZE search_hourly", "VACUUM ANALYZE shop_daily"}) {
            Db.update(DB, sql);
        }
        note("seeded " + String.format(Locale.ROOT, "%,d", total) + " events", String.format(Locale.ROOT,
                "raw insert %.0f s, rollup build %.0f s; product_daily %,d rows, product_hourly %,d rows, search_daily %,d rows",
                (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9, Db.count(DB, "SELECT count(*) FROM product_daily"),
                Db.count(DB, "SELECT count(*) FROM product_hourly"), Db.count(DB, "SELECT count(*) FROM search_daily")));
    }

    private void queries(String admin, long total) {
        seed(total);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("dashboard (30 days)", "/api/analytics/dashboard?from=" + today.minusDays(29) + "&to=" + today);
        paths.put("popular by revenue (30d)", "/api/analytics/products/popular?by=revenue&window=30d");
        paths.put("popular by views (24h, hourly)", "/api/analytics/products/popular?by=views&window=24h");
        paths.put("trending + zero-result searches (7d)", "/api/analytics/search/trending?window=7d");
        // the same questions over windows that are not kept as running totals: summed from the hourly/daily
        // rollups, as every window was before (fewer requests: they are the slow ones)
        paths.put("for comparison: dashboard (31 days, top products summed from daily rollups)",
                "/api/analytics/dashboard?from=" + today.minusDays(30) + "&to=" + today);
        paths.put("for comparison: popular by revenue (31d, summed from daily rollups)", "/api/analytics/products/popular?by=revenue&window=31d");
        paths.put("for comparison: popular by views (25h, summed from hourly rollups)", "/api/analytics/products/popular?by=views&window=25h");
        paths.forEach((label, path) -> {
            boolean comparison = label.startsWith("for comparison");
            int n = comparison ? 50 : 300; // the summed ones take up to seconds each over 10 million events on a loaded box
            int times = comparison ? 1 : rounds;
            for (int i = 0; i < (comparison ? 5 : 20); i++) {
                send("GET", path, admin, null);
            }
            List<Double> p50 = new ArrayList<>();
            List<Double> p99 = new ArrayList<>();
            int errors = 0;
            for (int r = 0; r < times; r++) {
                List<Long> micros = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    long t = System.nanoTime();
                    if (send("GET", path, admin, null) != 200) {
                        errors++;
                    }
                    micros.add((System.nanoTime() - t) / 1_000);
                }
                micros.sort(null);
                p50.add(micros.get(n / 2) / 1e3);
                p99.add(micros.get((int) Math.ceil(n * 0.99) - 1) / 1e3);
            }
            Spread a = Spread.of(p50);
            Spread b = Spread.of(p99);
            note(label + " over " + String.format(Locale.ROOT, "%,d", total) + " events", String.format(Locale.ROOT,
                    "p50 %.1f ms (%.1f-%.1f), p99 %.1f ms (%.1f-%.1f); medians of %d rounds of %d sequential requests, %d errors; load %s",
                    a.median(), a.min(), a.max(), b.median(), b.min(), b.max(), times, n, errors, loadAverage()));
        });
    }
}
