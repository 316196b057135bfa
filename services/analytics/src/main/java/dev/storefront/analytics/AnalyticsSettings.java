package dev.storefront.analytics;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import io.helidon.config.Config;

/**
 * Config {@code storefront.analytics.*}: {@code time-zone} (the shop's days and hours; UTC), {@code
 * retention-days} (raw events kept; 90), {@code partitions-ahead} (days of partitions made in advance; 7),
 * {@code partition-interval-ms} (how often the partition job runs; 1 h), {@code max-batch} (events in one
 * POST; 500), {@code batches-per-minute} (POSTs per client per minute; 120), {@code client-ip-header}
 * (header the ingress appends the client address to; none: the TCP peer), {@code windows} (the windows kept as
 * running totals, {@link WindowTotals}; {@code 24h,7d,30d}).
 */
record AnalyticsSettings(ZoneId zone, int retentionDays, int partitionsAhead, Duration partitionInterval, int maxBatch,
                         int batchesPerMinute, String clientIpHeader, List<WindowTotals.Spec> windows) {

    static AnalyticsSettings from(Config root) {
        Config c = root.get("storefront.analytics");
        String zoneName = c.get("time-zone").asString().orElse("UTC");
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneName);
        } catch (DateTimeException e) {
            throw new IllegalStateException("storefront.analytics.time-zone: " + zoneName + " is not a time zone id (e.g. Europe/Berlin)");
        }
        return new AnalyticsSettings(zone,
                Math.max(1, c.get("retention-days").asInt().orElse(90)),
                Math.max(1, c.get("partitions-ahead").asInt().orElse(7)),
                Duration.ofMillis(c.get("partition-interval-ms").asLong().orElse(3_600_000L)),
                Math.max(1, c.get("max-batch").asInt().orElse(500)),
                Math.max(1, c.get("batches-per-minute").asInt().orElse(120)),
                c.get("client-ip-header").asString().orElse(null),
                WindowTotals.specs(c.get("windows").asString().orElse("24h,7d,30d")));
    }
}
