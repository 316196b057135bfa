package dev.storefront.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void spreadIsTheMedianAndRangeIgnoringMissingRuns() {
        Spread odd = Spread.of(30, 10, 20);
        assertThat(odd.median()).isEqualTo(20);
        assertThat(odd.min()).isEqualTo(10);
        assertThat(odd.max()).isEqualTo(30);
        assertThat(odd.relative()).isEqualTo("±50%");
        assertThat(Spread.of(10, 20, Double.NaN, 40, 30).median()).isEqualTo(25);
        assertThat(Spread.of(Double.NaN).isEmpty()).isTrue();
        assertThat(Spread.of(5).relative()).isEmpty();
    }

    @Test
    void recorderKeepsOnlyRequestsStartedInTheWindow() {
        LatencyRecorder rec = new LatencyRecorder(10_000, 20_000);
        rec.record("a", 200, 5, 9_000);      // started before the window (warm-up)
        rec.record("a", 200, 500, 10_400);   // started at 9,900: still warm-up
        rec.record("a", 200, 5, 10_010);
        rec.record("a", 200, 40, 15_000);
        rec.record("a", 503, 2, 16_000);
        rec.record("b", 0, -1, 17_000);      // no answer
        rec.record("a", 200, 5, 20_010);     // started after the window
        Sample a = rec.sample("a");
        assertThat(a.total()).isEqualTo(3);
        assertThat(a.ok2xx()).isEqualTo(2);
        assertThat(a.server5xx()).isEqualTo(1);
        assertThat(a.throughput()).isCloseTo(0.2, within(1e-9)); // 2 answers in 10 s
        assertThat(a.max()).isBetween(39.9, 40.1);
        Sample both = rec.sample();
        assertThat(both.noResponse()).isEqualTo(1);
        assertThat(both.errorRate(true)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void percentilesComeFromTheHistogram() {
        LatencyRecorder rec = new LatencyRecorder(0, 1_000_000);
        for (int i = 1; i <= 100; i++) {
            rec.record("x", 200, i, 100_000 + i);
        }
        Sample s = rec.sample("x");
        assertThat(s.p50()).isEqualTo(50);
        assertThat(s.p99()).isEqualTo(99);
        assertThat(s.max()).isEqualTo(100);
    }
}
