package dev.storefront.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The machine's limits the scenarios are compared with, measured in the same run. */
final class Ceilings {
    private final Bench.Options options;
    private final Bench.Sizes sizes;
    private final Path out;
    private final Map<String, Object> raw;
    private final GatlingRunner gatling;

    Spread selectTps = Spread.of(List.of());
    Spread spreadWriteTps = Spread.of(List.of());
    Spread hotRowTps = Spread.of(List.of());
    Spread checkoutWritesTps = Spread.of(List.of());
    Load.Searched trivial;
    Spread trivialStartMs = Spread.of(List.of());
    Spread trivialRssMiB = Spread.of(List.of());

    Ceilings(Bench.Options options, Bench.Sizes sizes, Path out, GatlingRunner gatling, Map<String, Object> raw) {
        this.options = options;
        this.sizes = sizes;
        this.out = out;
        this.raw = raw;
        this.gatling = gatling;
    }

    void measure() throws Exception {
        if (options.runs("ceilings") || options.runs("pgbench")) {
            Pgbench pg = new Pgbench(out.resolve("pgbench"), sizes.pgbenchScale(), 8);
            System.out.println("bench: ceilings: pgbench (scale " + sizes.pgbenchScale() + ", 8 clients)");
            pg.prepare();
            List<Double> select = new ArrayList<>(), spread = new ArrayList<>(), hot = new ArrayList<>(), checkout = new ArrayList<>();
            for (int r = 0; r < options.repeats(); r++) {
                select.add(pg.tps(Pgbench.Kind.SELECT_ONLY, sizes.pgbenchSeconds()));
                spread.add(pg.tps(Pgbench.Kind.SPREAD_WRITE, sizes.pgbenchSeconds()));
                hot.add(pg.tps(Pgbench.Kind.HOT_ROW_WRITE, sizes.pgbenchSeconds()));
                checkout.add(pg.tps(Pgbench.Kind.CHECKOUT_WRITES, sizes.pgbenchSeconds()));
                System.out.printf("bench:   pgbench -S %.0f, spread write %.0f, hot row %.0f, checkout-shaped %.0f TPS%n",
                        select.getLast(), spread.getLast(), hot.getLast(), checkout.getLast());
            }
            selectTps = Spread.of(select);
            spreadWriteTps = Spread.of(spread);
            hotRowTps = Spread.of(hot);
            checkoutWritesTps = Spread.of(checkout);
            raw.put("pgbench", Map.of("select", select, "spreadWrite", spread, "hotRow", hot, "checkoutWrites", checkout));
        }
        if (options.runs("ceilings") || options.runs("trivial") || options.runs("browse")) {
            int port = options.port() + 10;
            List<Double> starts = new ArrayList<>();
            List<Double> rss = new ArrayList<>();
            List<StepSearch.Outcome> outcomes = new ArrayList<>();
            for (int r = 0; r < options.repeats(); r++) {
                try (Platform server = Platform.trivial(port, out.resolve("logs/trivial.log"), out.resolve("tmp"))) {
                    starts.add((double) server.readyWallMs);
                    // one search per server start: each repeat also measures the server's start-up and peak RSS
                    Load single = new Load(gatling, sizes, 1, raw);
                    Load.Searched s = single.search("trivial-" + (r + 1), Workload.Kind.TRIVIAL, server.baseUrl(), Workload.Data.empty(),
                            Bench.BROWSE_P99_MS, r == 0 || outcomes.isEmpty() || !outcomes.getLast().found()
                                    ? 1000 : Math.round(outcomes.getLast().best().rate() * 0.75), 100_000, 1, List.of("trivial"));
                    outcomes.addAll(s.outcomes());
                    rss.add(Platform.peakRssKb(server.pid()) / 1024.0);
                }
            }
            trivial = new Load.Searched("trivial", outcomes);
            trivialStartMs = Spread.of(starts);
            trivialRssMiB = Spread.of(rss);
            raw.put("trivial", Map.of("startMs", starts, "peakRssMiB", rss));
        }
    }

    double trivialRate() {
        return trivial == null ? Double.NaN : trivial.throughput().median();
    }

    void rows(Report report) {
        if (trivial != null) {
            StepSearch.Step step = trivial.medianStep();
            report.add(new Report.Row("ceiling: trivial Helidon SE endpoint (same JVM flags, same load tool)",
                    "req/s with p99 <= 50 ms", Bench.spread(trivial.throughput(), "req/s") + "; p99 " + Bench.fmt(step.sample().p99()) + " ms",
                    "", "", "", null));
            report.point(new Report.Point("trivial endpoint", step.sample().throughput(), step.sample().p50(), step.sample().p95(),
                    step.sample().p99()));
        }
        if (!selectTps.isEmpty()) {
            report.add(new Report.Row("ceiling: pgbench -S", "TPS, 8 clients", Bench.spread(selectTps, "TPS"), "", "", "", null));
            report.add(new Report.Row("ceiling: " + Pgbench.Kind.SPREAD_WRITE.label, "TPS, 8 clients",
                    Bench.spread(spreadWriteTps, "TPS"), "", "", "", null));
            report.add(new Report.Row("ceiling: " + Pgbench.Kind.HOT_ROW_WRITE.label, "TPS, 8 clients",
                    Bench.spread(hotRowTps, "TPS"), "", "", "", null));
            report.add(new Report.Row("ceiling: " + Pgbench.Kind.CHECKOUT_WRITES.label, "TPS, 8 clients",
                    Bench.spread(checkoutWritesTps, "TPS"), "", "", "", null));
        }
    }
}
