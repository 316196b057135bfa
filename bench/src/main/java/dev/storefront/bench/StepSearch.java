package dev.storefront.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * Finds the highest open-model arrival rate whose step meets the latency goal: doubles the rate
 * while steps pass, then bisects between the last pass and the first failure. A short search on
 * purpose: each step costs seconds of load on a shared machine.
 */
public final class StepSearch {
    /** One load step at a fixed arrival rate. */
    public record Step(double rate, Sample sample, boolean passed) {
    }

    /** The best passing step (null when none passed) and every step tried, in order. */
    public record Outcome(Step best, List<Step> steps) {
        public boolean found() {
            return best != null;
        }

        /** The best step, or the lowest-rate step when none passed (to show how far off it was). */
        public Step shown() {
            if (best != null) {
                return best;
            }
            return steps.stream().min(java.util.Comparator.comparingDouble(Step::rate)).orElseThrow();
        }
    }

    private final double start;
    private final double min;
    private final double max;
    private final int refinements;

    /**
     * @param start       first rate tried
     * @param min         give up going down below this rate
     * @param max         never try above this rate
     * @param refinements bisection steps after the first failure above a pass
     */
    public StepSearch(double start, double min, double max, int refinements) {
        this.start = start;
        this.min = min;
        this.max = max;
        this.refinements = refinements;
    }

    public Outcome run(DoubleFunction<Step> runStep) {
        List<Step> steps = new ArrayList<>();
        Step pass = null;
        Step fail = null;
        double rate = Math.min(start, max);
        // find a bracket: go up by doubling while passing, or down by halving while failing
        while (true) {
            Step step = runStep.apply(rate);
            steps.add(step);
            if (step.passed()) {
                pass = step;
                if (fail != null || rate >= max) {
                    break;
                }
                rate = Math.min(max, rate * 2);
            } else {
                fail = step;
                if (pass != null) {
                    break;
                }
                if (rate / 2 < min) {
                    return new Outcome(null, steps);
                }
                rate = rate / 2;
            }
        }
        if (fail == null || fail.rate() < pass.rate()) {
            return new Outcome(pass, steps);
        }
        double low = pass.rate();
        double high = fail.rate();
        for (int i = 0; i < refinements && high - low > Math.max(1, low * 0.05); i++) {
            double mid = Math.round((low + high) / 2);
            Step step = runStep.apply(mid);
            steps.add(step);
            if (step.passed()) {
                low = mid;
                pass = step;
            } else {
                high = mid;
            }
        }
        return new Outcome(pass, steps);
    }
}
