package dev.storefront.bench;

import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * One measured window: how many requests, how they ended, and their latency percentiles (ms).
 * {@code throughput} counts only successful answers (2xx, plus the expected 409s a scenario
 * declares as success, see {@link #okCount(java.util.Set)}).
 */
public record Sample(long total, long ok2xx, long client4xx, long server5xx, long noResponse,
                     double p50, double p95, double p99, double max, double seconds,
                     Map<Integer, Long> statuses) {

    static Sample of(Histogram h, Map<Integer, Long> statuses, double seconds) {
        long total = 0, ok = 0, c4 = 0, s5 = 0, none = 0;
        for (var e : statuses.entrySet()) {
            int s = e.getKey();
            long n = e.getValue();
            total += n;
            if (s == 0) {
                none += n;
            } else if (s < 400) {
                ok += n;
            } else if (s < 500) {
                c4 += n;
            } else {
                s5 += n;
            }
        }
        boolean empty = h.getTotalCount() == 0;
        return new Sample(total, ok, c4, s5, none,
                empty ? Double.NaN : h.getValueAtPercentile(50),
                empty ? Double.NaN : h.getValueAtPercentile(95),
                empty ? Double.NaN : h.getValueAtPercentile(99),
                empty ? Double.NaN : h.getMaxValue(),
                seconds, Map.copyOf(statuses));
    }

    /** Answers per second that were not errors. */
    public double throughput() {
        return seconds <= 0 ? 0 : ok2xx / seconds;
    }

    /** Share of requests that got a 5xx or no answer, or a 4xx the scenario did not expect. */
    public double errorRate(boolean clientErrorsAreErrors) {
        if (total == 0) {
            return 1.0;
        }
        long bad = server5xx + noResponse + (clientErrorsAreErrors ? client4xx : 0);
        return (double) bad / total;
    }

    public long count(int status) {
        return statuses.getOrDefault(status, 0L);
    }
}
