package dev.storefront.bench;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the next Gatling run does. Gatling instantiates the simulation class itself, so the
 * harness hands it the plan through this holder (one run at a time).
 */
public final class Workload {
    public enum Kind { TRIVIAL, BROWSE, CART_CHURN, CHECKOUT, FLASH_SALE, CATALOG_SCALE }

    /** The data the scenarios pick from; lists are read-only once the run starts. */
    public record Data(List<String> productIds, List<String> categorySlugs, List<String> searchWords,
                       List<String> shopperTokens, List<String> spreadProductIds) {
        public static Data empty() {
            return new Data(List.of(), List.of(), List.of(), List.of(), List.of());
        }
    }

    /**
     * @param usersPerSec   open-model arrival rate of virtual users (each runs the scenario once)
     * @param atOnceUsers   for the flash sale: this many users arrive at the same instant
     */
    public record Plan(Kind kind, String baseUrl, double usersPerSec, int warmupSeconds, int measureSeconds,
                       int atOnceUsers, Data data) {
    }

    /** What the flash sale's shoppers got back: checkout status per answer, and the order ids confirmed. */
    public static final class FlashOutcome {
        public final Map<String, LongAdder> checkoutStatuses = new ConcurrentHashMap<>();
        public final Queue<String> completedOrderIds = new ConcurrentLinkedQueue<>();
    }

    private static volatile Plan plan;
    private static volatile LatencyRecorder recorder;
    private static volatile FlashOutcome flash = new FlashOutcome();

    private Workload() {
    }

    static void prepare(Plan next) {
        plan = next;
        recorder = new LatencyRecorder(Long.MIN_VALUE, Long.MAX_VALUE);
        flash = new FlashOutcome();
    }

    public static Plan plan() {
        Plan p = plan;
        if (p == null) {
            throw new IllegalStateException("no workload prepared: the simulation runs only inside bench/run.sh");
        }
        return p;
    }

    public static LatencyRecorder recorder() {
        return recorder;
    }

    public static FlashOutcome flash() {
        return flash;
    }
}
