package dev.storefront.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * bench/run.sh's entry point: measures the ceilings, starts the platform on its own port and
 * databases, seeds it, runs every scenario with bounded counts and time, and writes one Markdown
 * table plus a PNG chart into bench/results/&lt;timestamp&gt;/.
 * <pre>
 *   java -jar bench/target/storefront-bench.jar --launcher launcher/target/storefront-launcher.jar
 *        [--mode one|split] [--quick] [--port 18080] [--repeats 3] [--only browse,checkout,...] [--jfr]
 *        [--tracing off|sink|http://collector:4318] [--products N]
 * </pre>
 */
public final class Bench {
    static final double BROWSE_P99_MS = 50;
    static final double CART_P99_MS = 50;
    static final double CHECKOUT_P99_MS = 250;
    static final double FLASH_ANSWER_MS = 10_000;

    /**
     * @param tracing "off" (default), "sink" (the platform exports OTLP to the bench's own discarding receiver) or an
     *                OTLP/HTTP endpoint URL: the platform's {@code storefront.tracing.otlp-endpoint}
     */
    record Options(boolean split, boolean quick, int port, int repeats, Path launcherJar, Path resultsRoot, boolean jfr,
                   Set<String> only, String tracing, int products) {
        static Options parse(String[] args) {
            List<String> a = Arrays.asList(args);
            boolean quick = a.contains("--quick");
            String mode = value(a, "--mode", "one");
            if (!mode.equals("one") && !mode.equals("split")) {
                throw new IllegalArgumentException("--mode is one or split");
            }
            String only = value(a, "--only", "");
            return new Options(mode.equals("split"), quick, Integer.parseInt(value(a, "--port", "18080")),
                    Integer.parseInt(value(a, "--repeats", quick ? "1" : "3")),
                    Path.of(value(a, "--launcher", "launcher/target/storefront-launcher.jar")).toAbsolutePath(),
                    Path.of(value(a, "--results", "bench/results")).toAbsolutePath(), a.contains("--jfr"),
                    only.isBlank() ? Set.of() : Set.of(only.split(",")), tracing(value(a, "--tracing", "off")),
                    Integer.parseInt(value(a, "--products", "0")));
        }

        private static String tracing(String value) {
            if (!value.equals("off") && !value.equals("sink") && !value.startsWith("http://") && !value.startsWith("https://")) {
                throw new IllegalArgumentException("--tracing is off, sink or an OTLP/HTTP endpoint URL, not " + value);
            }
            return value;
        }

        private static String value(List<String> a, String name, String def) {
            int i = a.indexOf(name);
            return i >= 0 && i + 1 < a.size() ? a.get(i + 1) : def;
        }

        boolean runs(String phase) {
            return only.isEmpty() || only.contains(phase);
        }

        /** Everything but the ceilings needs the platform (start-up is measured whenever it starts). */
        boolean needsPlatform() {
            return Set.of("browse", "scale", "cart", "checkout", "flash", "startup", "index").stream().anyMatch(this::runs);
        }

        /** Shoppers, stock and carts are seeded only for the scenarios that use them. */
        boolean needsShoppers() {
            return Set.of("cart", "checkout", "flash").stream().anyMatch(this::runs);
        }
    }

    /** Counts and durations: the full run, or --quick for a smoke test. */
    record Sizes(int products, int smallCatalog, int shoppers, int flashShoppers, int flashUnits, int spreadProducts,
                 int warmup, int measure, int refinements, int pgbenchSeconds, int pgbenchScale, double scaleRate) {
        static Sizes of(boolean quick) {
            return quick
                    ? new Sizes(10_000, 1_000, 1_000, 400, 20, 1_000, 2, 4, 0, 3, 1, 20)
                    : new Sizes(100_000, 1_000, 10_000, 2_000, 100, 10_000, 3, 10, 2, 10, 10, 40);
        }

        /** The same with another catalog size ({@code --products}; 0 keeps it). */
        Sizes withProducts(int n) {
            return n <= 0 ? this : new Sizes(n, smallCatalog, shoppers, flashShoppers, flashUnits, spreadProducts, warmup, measure,
                    refinements, pgbenchSeconds, pgbenchScale, scaleRate);
        }
    }

    private final Options options;
    private final Sizes sizes;
    private final Path out;
    private final Path work;
    private final Report report = new Report();
    private final Map<String, Object> raw = new LinkedHashMap<>();
    private final GatlingRunner gatling;

    private Bench(Options options) {
        this.options = options;
        this.sizes = Sizes.of(options.quick()).withProducts(options.products());
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        this.out = options.resultsRoot().resolve(stamp + "-" + (options.split() ? "split" : "one") + (options.quick() ? "-quick" : ""));
        // logs, JFR recordings, the launcher snapshot: big and not worth keeping in the repository
        this.work = Path.of(System.getProperty("java.io.tmpdir"), "storefront-bench", out.getFileName().toString());
        this.gatling = new GatlingRunner(work.resolve("gatling"));
    }

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench(Options.parse(args));
        bench.run();
        System.exit(0); // Gatling leaves non-daemon threads behind
    }

    private void run() throws Exception {
        Files.createDirectories(out);
        Files.createDirectories(work);
        String mode = options.split() ? "split" : "one-process";
        System.out.printf("bench: %s mode, %s run, %d repeat(s); results in %s, logs in %s%n", mode,
                options.quick() ? "quick" : "full", options.repeats(), out, work.resolve("logs"));
        raw.put("mode", mode);
        raw.put("quick", options.quick());
        raw.put("sizes", sizes);
        raw.put("cpus", Runtime.getRuntime().availableProcessors());
        String loadBefore = loadAverage();
        raw.put("loadAverageBefore", loadBefore);

        Ceilings ceilings = new Ceilings(options, sizes, work, gatling, raw);
        ceilings.measure();
        Scenarios scenarios = new Scenarios(options, sizes, work, gatling, raw, ceilings, report);
        if (options.needsPlatform()) {
            scenarios.runAll(snapshot(options.launcherJar(), work.resolve("launcher")));
        }
        ceilings.rows(report);
        scenarios.rows();
        String loadAfter = loadAverage();
        raw.put("loadAverageAfter", loadAfter);
        report.note("Machine load average (1/5/15 min) before the run " + loadBefore + ", after " + loadAfter
                + ": other work on the machine competes with the platform, PostgreSQL and the load tool for the same CPUs.");

        String title = "Storefront bench, " + mode + " mode, " + (options.quick() ? "quick" : "full") + " run, "
                + Runtime.getRuntime().availableProcessors() + " CPUs, "
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
        String md = report.markdown(title);
        Files.writeString(out.resolve("report.md"), md);
        report.writeChart(out.resolve("chart.png"), "Storefront " + mode);
        Api.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("results.json").toFile(), raw);
        System.out.println();
        System.out.println(md);
        System.out.println("bench: wrote " + out.resolve("report.md") + ", chart.png and results.json");
    }

    /**
     * A private copy of the launcher jar and its libs: the shared tree may be rebuilt while the bench
     * runs, and a jar rewritten under a running JVM breaks it.
     */
    private static Path snapshot(Path launcherJar, Path dir) throws java.io.IOException {
        if (!Files.exists(launcherJar)) {
            throw new IllegalStateException("no launcher jar at " + launcherJar + " (bench/run.sh builds it)");
        }
        Files.createDirectories(dir.resolve("libs"));
        Path jar = dir.resolve(launcherJar.getFileName());
        Files.copy(launcherJar, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (var libs = Files.list(launcherJar.resolveSibling("libs"))) {
            for (Path lib : libs.toList()) {
                Files.copy(lib, dir.resolve("libs").resolve(lib.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return jar;
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String pct(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }

    static String spread(Spread s, String unit) {
        if (s.isEmpty()) {
            return "not measured";
        }
        String rel = s.relative();
        return fmt(s.median()) + " " + unit + (rel.isEmpty() ? "" : " (" + rel + ", n=" + s.runs() + ")");
    }

    static List<Double> list() {
        return new ArrayList<>();
    }
}
