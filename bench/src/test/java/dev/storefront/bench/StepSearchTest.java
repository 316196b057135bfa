package dev.storefront.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class StepSearchTest {
    /** A system that meets the goal up to {@code limit} requests per second. */
    private static StepSearch.Step system(double rate, double limit) {
        Sample s = new Sample(100, 100, 0, 0, 0, 1, 2, rate <= limit ? 10 : 900, 1000, 1, Map.of(200, 100L));
        return new StepSearch.Step(rate, s, rate <= limit);
    }

    @Test
    void doublesUntilAFailureThenBisects() {
        StepSearch.Outcome outcome = new StepSearch(100, 1, 100_000, 2).run(rate -> system(rate, 730));
        assertThat(outcome.steps()).extracting(StepSearch.Step::rate).containsExactly(100.0, 200.0, 400.0, 800.0, 600.0, 700.0);
        assertThat(outcome.best().rate()).isEqualTo(700.0);
    }

    @Test
    void halvesWhenTheFirstRateIsTooHigh() {
        StepSearch.Outcome outcome = new StepSearch(1000, 10, 100_000, 1).run(rate -> system(rate, 300));
        assertThat(outcome.steps()).extracting(StepSearch.Step::rate).containsExactly(1000.0, 500.0, 250.0, 375.0);
        assertThat(outcome.best().rate()).isEqualTo(250.0);
    }

    @Test
    void reportsNothingFoundWithTheLowestStepShown() {
        StepSearch.Outcome outcome = new StepSearch(100, 20, 100_000, 2).run(rate -> system(rate, 5));
        assertThat(outcome.found()).isFalse();
        assertThat(outcome.shown().rate()).isEqualTo(25.0);
    }

    @Test
    void stopsAtTheMaximum() {
        StepSearch.Outcome outcome = new StepSearch(100, 1, 300, 2).run(rate -> system(rate, 1e9));
        assertThat(outcome.steps()).extracting(StepSearch.Step::rate).containsExactly(100.0, 200.0, 300.0);
        assertThat(outcome.best().rate()).isEqualTo(300.0);
    }
}
