package dev.storefront.bench;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What the load tool saw, per request name: an HdrHistogram of response times (ms) of the requests
 * that started inside the measurement window, and a count per HTTP status (0 = no response).
 * Requests started during the warm-up or after the window are left out.
 */
public final class LatencyRecorder {
    private static final long MAX_MS = 120_000;

    private final Map<String, ConcurrentHistogram> histograms = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, LongAdder>> statuses = new ConcurrentHashMap<>();
    private volatile long windowStartMs;
    private volatile long windowEndMs;

    public LatencyRecorder(long windowStartMs, long windowEndMs) {
        this.windowStartMs = windowStartMs;
        this.windowEndMs = windowEndMs;
    }

    /** Moves the window (the simulation knows its start time only when Gatling starts it). */
    public void window(long startMs, long endMs) {
        this.windowStartMs = startMs;
        this.windowEndMs = endMs;
    }

    public double windowSeconds() {
        return (windowEndMs - windowStartMs) / 1000.0;
    }

    /**
     * @param status     HTTP status, or 0 when no response came (connection error, timeout)
     * @param responseMs response time, or -1 when unknown
     * @param endMs      when the response (or the failure) arrived, epoch ms
     */
    public void record(String name, int status, long responseMs, long endMs) {
        long startMs = endMs - Math.max(0, responseMs);
        if (startMs < windowStartMs || startMs >= windowEndMs) {
            return;
        }
        statuses.computeIfAbsent(name, n -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, s -> new LongAdder()).increment();
        if (status > 0 && responseMs >= 0) {
            histograms.computeIfAbsent(name, n -> new ConcurrentHistogram(MAX_MS, 3))
                    .recordValue(Math.min(MAX_MS, responseMs));
        }
    }

    /** The requests with these names, merged (all names when {@code names} is empty). */
    public Sample sample(Collection<String> names) {
        Histogram merged = new Histogram(MAX_MS, 3);
        Map<Integer, Long> counts = new TreeMap<>();
        for (var e : histograms.entrySet()) {
            if (names.isEmpty() || names.contains(e.getKey())) {
                merged.add(e.getValue());
            }
        }
        for (var e : statuses.entrySet()) {
            if (names.isEmpty() || names.contains(e.getKey())) {
                e.getValue().forEach((status, n) -> counts.merge(status, n.sum(), Long::sum));
            }
        }
        return Sample.of(merged, counts, windowSeconds());
    }

    public Sample sample(String... names) {
        return sample(List.of(names));
    }
}
