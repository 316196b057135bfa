package dev.storefront.catalog.pricefeeds;

import java.time.Instant;
import java.util.UUID;

/** A competitor's price feed as the admin routes show it, with how its last fetches went. */
public record PriceFeed(UUID id, String name, String url, String format, PriceFeedBody.Mapping mapping, String currency,
                        int intervalMinutes, boolean enabled, Instant nextFetchAt, Status status,
                        Instant createdAt, Instant updatedAt) {

    /**
     * @param outcome       OK or FAILED for the last fetch; null before the first
     * @param rowsMatched   rows of the last successful fetch that matched a product (their prices are stored)
     * @param rowsUnmatched well-formed rows whose SKU or GTIN no product has
     * @param rowsRejected  rows refused (no key, a bad price or currency, a duplicate key, a wrong column count)
     */
    public record Status(String outcome, Instant lastAttemptAt, Instant lastSuccessAt, String lastError, Instant lastErrorAt,
                         Integer rowsMatched, Integer rowsUnmatched, Integer rowsRejected) {
    }
}
