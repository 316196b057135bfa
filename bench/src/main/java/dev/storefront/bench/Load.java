package dev.storefront.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** Step searches for one scenario, repeated, with every step printed and kept for results.json. */
final class Load {
    /** The repeated searches of one scenario and their median. */
    record Searched(String name, List<StepSearch.Outcome> outcomes) {
        /** Best passing throughput of each repeat (NaN for a repeat where no rate passed). */
        Spread throughput() {
            return Spread.of(outcomes.stream().map(o -> o.found() ? o.best().sample().throughput() : Double.NaN).toList());
        }

        boolean anyFound() {
            return outcomes.stream().anyMatch(StepSearch.Outcome::found);
        }

        /** The repeat whose best throughput is the median one: its percentiles go in the table and chart. */
        StepSearch.Step medianStep() {
            List<StepSearch.Step> found = outcomes.stream().filter(StepSearch.Outcome::found).map(StepSearch.Outcome::best)
                    .sorted(Comparator.comparingDouble(s -> s.sample().throughput())).toList();
            if (found.isEmpty()) {
                return outcomes.get(0).shown();
            }
            return found.get(found.size() / 2);
        }
    }

    private final GatlingRunner gatling;
    private final Bench.Sizes sizes;
    private final int repeats;
    private final Map<String, Object> raw;

    Load(GatlingRunner gatling, Bench.Sizes sizes, int repeats, Map<String, Object> raw) {
        this.gatling = gatling;
        this.sizes = sizes;
        this.repeats = repeats;
        this.raw = raw;
    }

    /**
     * @param rateUnitsPerUser how many measured requests one virtual user makes (3 for cart churn)
     * @param measured         the request names whose latency and throughput count
     */
    Searched search(String name, Workload.Kind kind, String baseUrl, Workload.Data data, double goalP99Ms,
                    double startRate, double maxRate, double rateUnitsPerUser, List<String> measured) {
        List<StepSearch.Outcome> outcomes = new ArrayList<>();
        double start = startRate;
        // warm the JIT of both sides (and Gatling's own) at a gentle rate before anything is measured
        System.out.printf("bench: %s, warm-up at %.0f/s%n", name, startRate / 2);
        gatling.run(new Workload.Plan(kind, baseUrl, Math.max(1, startRate / 2 / rateUnitsPerUser), 1, sizes.warmup() + 2, 0, data));
        for (int r = 0; r < repeats; r++) {
            System.out.printf("bench: %s, search %d/%d (p99 <= %.0f ms)%n", name, r + 1, repeats, goalP99Ms);
            StepSearch search = new StepSearch(start, Math.max(0.5, startRate / 16), maxRate, sizes.refinements());
            StepSearch.Outcome outcome = search.run(rate -> {
                Workload.Plan plan = new Workload.Plan(kind, baseUrl, rate / rateUnitsPerUser, sizes.warmup(), measureSeconds(rate), 0, data);
                LatencyRecorder recorder = gatling.run(plan);
                Sample s = recorder.sample(measured);
                boolean passed = s.p99() <= goalP99Ms && s.errorRate(true) <= 0.01 && s.throughput() >= 0.9 * rate;
                System.out.printf(Locale.ROOT, "bench:   %-12s offered %8.1f/s  ok %8.1f/s  p50 %6.1f  p95 %6.1f  p99 %7.1f  max %7.0f ms"
                                + "  4xx %d 5xx %d none %d  -> %s%s%n", name, rate, s.throughput(), s.p50(), s.p95(), s.p99(), s.max(),
                        s.client4xx(), s.server5xx(), s.noResponse(), passed ? "pass" : "fail", breakdown(recorder, measured));
                return new StepSearch.Step(rate, s, passed);
            });
            outcomes.add(outcome);
            if (outcome.found()) {
                start = Math.max(1, Math.round(outcome.best().rate() * 0.75));
            }
        }
        Searched searched = new Searched(name, outcomes);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("goalP99Ms", goalP99Ms);
        entry.put("repeats", outcomes.stream().map(o -> o.steps()).toList());
        raw.put("search:" + name, entry);
        return searched;
    }

    /**
     * Long enough for a p99 that means something (about 300 requests), within bounds: at low rates a
     * short window would make p99 the single slowest request.
     */
    int measureSeconds(double rate) {
        int enough = (int) Math.ceil(300 / Math.max(rate, 0.1));
        return Math.max(sizes.measure(), Math.min(enough, sizes.measure() * 3));
    }

    /** p99 per request name, when the scenario mixes several (to see which one is slow). */
    static String breakdown(LatencyRecorder recorder, List<String> names) {
        if (names.size() < 2) {
            return "";
        }
        StringBuilder b = new StringBuilder("  [p99");
        for (String n : names) {
            b.append(' ').append(n).append(' ').append(Math.round(recorder.sample(n).p99()));
        }
        return b.append(']').toString();
    }

    /** One fixed-rate run (no search), for comparisons at equal load. */
    Sample fixed(Workload.Kind kind, String baseUrl, Workload.Data data, double usersPerSec, List<String> measured) {
        return gatling.run(new Workload.Plan(kind, baseUrl, usersPerSec, sizes.warmup(), sizes.measure(), 0, data)).sample(measured);
    }
}
