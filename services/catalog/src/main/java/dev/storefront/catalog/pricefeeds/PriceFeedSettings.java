package dev.storefront.catalog.pricefeeds;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * How feeds are fetched; config under {@code storefront.catalog.price-feeds}: {@code poll-seconds} (30;
 * how often a replica looks for due feeds, 0 turns fetching off), {@code connect-timeout-ms} (5000),
 * {@code read-timeout-ms} (10000, per read), {@code total-timeout-ms} (60000, the whole download),
 * {@code max-bytes} (10 MiB), {@code max-redirects} (3), {@code allow-private-addresses} (false: loopback,
 * private, link-local and other non-public addresses are refused).
 */
public record PriceFeedSettings(Duration poll, Duration connectTimeout, Duration readTimeout, Duration totalTimeout,
                                long maxBytes, int maxRedirects, boolean allowPrivateAddresses) {

    public static PriceFeedSettings from(Config config) {
        Config c = config.get("storefront.catalog.price-feeds");
        return new PriceFeedSettings(Duration.ofSeconds(c.get("poll-seconds").asLong().orElse(30L)),
                Duration.ofMillis(c.get("connect-timeout-ms").asLong().orElse(5_000L)),
                Duration.ofMillis(c.get("read-timeout-ms").asLong().orElse(10_000L)),
                Duration.ofMillis(c.get("total-timeout-ms").asLong().orElse(60_000L)),
                c.get("max-bytes").asLong().orElse(10L * 1024 * 1024),
                c.get("max-redirects").asInt().orElse(3),
                c.get("allow-private-addresses").asBoolean().orElse(false));
    }

    /** How long a replica's claim on a feed lasts: longer than any download, so no other replica fetches it meanwhile. */
    public Duration claimFor() {
        return totalTimeout.plus(connectTimeout).plusSeconds(60);
    }
}
