package dev.storefront.catalog.pricefeeds;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.storefront.common.db.Database;
import dev.storefront.common.db.Rows;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Json;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/** All of the price comparison's SQL (tables price_feeds and competitor_prices, and reads of products). */
public final class PriceFeedRepository {
    private static final String FEED_COLUMNS = "id, name, url, format, mapping::text AS mapping, currency, interval_minutes, enabled, "
            + "next_fetch_at, last_outcome, last_attempt_at, last_success_at, last_error, last_error_at, rows_matched, rows_unmatched, "
            + "rows_rejected, created_at, updated_at";
    private static final int MAX_ERROR = 500;

    private final Database db;

    public PriceFeedRepository(Database db) {
        this.db = db;
    }

    public List<PriceFeed> feeds() {
        return Database.list(db.execute(), "SELECT " + FEED_COLUMNS + " FROM price_feeds ORDER BY name, id", PriceFeedRepository::feed);
    }

    public Optional<PriceFeed> feed(UUID id) {
        return Database.one(db.execute(), "SELECT " + FEED_COLUMNS + " FROM price_feeds WHERE id = ?", PriceFeedRepository::feed, id);
    }

    public PriceFeed create(UUID id, PriceFeedBody body) {
        return uniqueName(body, () -> db.execute().get("INSERT INTO price_feeds (id, name, url, format, mapping, currency, interval_minutes, enabled) "
                        + "VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?) RETURNING " + FEED_COLUMNS,
                id, body.name().strip(), body.url(), body.format(), Json.write(body.mapping()), body.currency(), body.intervalMinutes(),
                body.enabled() == null || body.enabled()).map(PriceFeedRepository::feed).orElseThrow());
    }

    /**
     * Replaces the feed's settings with a validated whole body; it is fetched again soon (the next round).
     * A fetch in progress loses its claim, so what it read with the old settings is not stored.
     */
    public Optional<PriceFeed> update(UUID id, PriceFeedBody body) {
        return uniqueName(body, () -> db.execute().get("UPDATE price_feeds SET name = ?, url = ?, format = ?, mapping = ?::jsonb, currency = ?, "
                        + "interval_minutes = ?, enabled = ?, next_fetch_at = now(), claim_token = NULL, claimed_until = NULL, updated_at = now() "
                        + "WHERE id = ? RETURNING " + FEED_COLUMNS,
                body.name().strip(), body.url(), body.format(), Json.write(body.mapping()), body.currency(), body.intervalMinutes(),
                body.enabled(), id).map(PriceFeedRepository::feed));
    }

    /** Deletes the feed and the prices it gave. */
    public boolean delete(UUID id) {
        return db.execute().dml("DELETE FROM price_feeds WHERE id = ?", id) == 1;
    }

    /** Makes the feed due now ("fetch now"); false when there is no such feed. */
    public boolean markDue(UUID id) {
        return db.execute().dml("UPDATE price_feeds SET next_fetch_at = now() WHERE id = ?", id) == 1;
    }

    // ---- fetching

    /**
     * Claims the most overdue enabled feed for {@code claimFor}: one statement, and SKIP LOCKED, so two
     * replicas asking at once never get the same feed, and a feed claimed by a replica that died is
     * claimable again once its claim ran out.
     */
    public Optional<PriceFeed> claimDue(UUID token, Duration claimFor) {
        return db.execute().get("UPDATE price_feeds SET claim_token = ?, claimed_until = now() + ? * interval '1 millisecond', "
                        + "last_attempt_at = now() WHERE id = (SELECT id FROM price_feeds WHERE enabled AND next_fetch_at <= now() "
                        + "AND (claimed_until IS NULL OR claimed_until < now()) ORDER BY next_fetch_at LIMIT 1 FOR UPDATE SKIP LOCKED) "
                        + "RETURNING " + FEED_COLUMNS, token, claimFor.toMillis())
                .map(PriceFeedRepository::feed);
    }

    public record Applied(int matched, int unmatched) {
    }

    /**
     * Stores a successful fetch in one transaction: the latest price of every matched product, and
     * the feed's status. Empty when the claim is no longer this replica's (its claim ran out and
     * another replica fetched the feed, or the feed was deleted): then nothing is written.
     */
    public Optional<Applied> applyFetch(UUID feedId, UUID token, String matchBy, List<FeedParser.Row> rows, int rejected) {
        String[] keys = rows.stream().map(FeedParser.Row::key).toArray(String[]::new);
        String[] prices = rows.stream().map(r -> r.price().toPlainString()).toArray(String[]::new);
        String[] currencies = rows.stream().map(FeedParser.Row::currency).toArray(String[]::new);
        String match = "GTIN".equals(matchBy) ? "lpad(p.gtin, 14, '0') = r.key AND p.gtin IS NOT NULL"
                : "p.attributes ->> 'sku' = r.key";
        return db.inTransaction(tx -> {
            if (tx.get("SELECT id FROM price_feeds WHERE id = ? AND claim_token = ? FOR UPDATE", feedId, token).isEmpty()) {
                return Optional.<Applied>empty();
            }
            int matchedKeys = (int) tx.get("WITH r AS (SELECT * FROM unnest(?::text[], ?::numeric[], ?::text[]) AS r(key, price, currency)), "
                            + "hits AS (SELECT p.id AS product_id, r.key, r.price, r.currency FROM r JOIN products p ON " + match + "), "
                            + "stored AS (INSERT INTO competitor_prices (feed_id, product_id, price, currency, fetched_at) "
                            + "SELECT ?, product_id, price, currency, now() FROM hits "
                            + "ON CONFLICT (product_id, feed_id) DO UPDATE SET price = excluded.price, currency = excluded.currency, "
                            + "fetched_at = excluded.fetched_at RETURNING 1) "
                            + "SELECT (SELECT count(DISTINCT key) FROM hits) AS matched, (SELECT count(*) FROM stored) AS stored",
                    keys, prices, currencies, feedId).map(r -> Rows.longValue(r, "matched")).orElse(0L).longValue();
            int unmatched = rows.size() - matchedKeys;
            tx.dml("UPDATE price_feeds SET last_outcome = 'OK', last_success_at = now(), rows_matched = ?, rows_unmatched = ?, "
                            + "rows_rejected = ?, next_fetch_at = now() + interval_minutes * interval '1 minute', claim_token = NULL, "
                            + "claimed_until = NULL WHERE id = ?",
                    matchedKeys, unmatched, rejected, feedId);
            return Optional.of(new Applied(matchedKeys, unmatched));
        });
    }

    /** Records a failed fetch; the prices of earlier fetches stay. False when the claim is no longer this replica's. */
    public boolean recordFailure(UUID feedId, UUID token, String error) {
        String message = error == null ? "unknown error" : error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
        return db.execute().dml("UPDATE price_feeds SET last_outcome = 'FAILED', last_error = ?, last_error_at = now(), "
                + "next_fetch_at = now() + interval_minutes * interval '1 minute', claim_token = NULL, claimed_until = NULL "
                + "WHERE id = ? AND claim_token = ?", message.replaceAll("\\p{Cntrl}", " "), feedId, token) == 1;
    }

    // ---- the comparison

    /** The product's own price and owner. */
    public record OurPrice(UUID productId, String name, UUID vendorId, BigDecimal price, String currency, String sku, String gtin) {
    }

    public record SourcePrice(UUID feedId, String feed, BigDecimal price, String currency, Instant fetchedAt, String feedOutcome) {
    }

    public Optional<OurPrice> ourPrice(UUID productId) {
        return Database.one(db.execute(), "SELECT id, name, vendor_id, price, currency, attributes ->> 'sku' AS sku, gtin FROM products WHERE id = ?",
                r -> new OurPrice(Rows.uuid(r, "id"), Rows.string(r, "name"), Rows.uuid(r, "vendor_id"), Rows.decimal(r, "price"),
                        Rows.string(r, "currency"), Rows.string(r, "sku"), Rows.string(r, "gtin")), productId);
    }

    public List<SourcePrice> sourcePrices(UUID productId) {
        return Database.list(db.execute(), "SELECT c.feed_id, f.name, c.price, c.currency, c.fetched_at, f.last_outcome "
                        + "FROM competitor_prices c JOIN price_feeds f ON f.id = c.feed_id WHERE c.product_id = ? ORDER BY c.price, f.name",
                r -> new SourcePrice(Rows.uuid(r, "feed_id"), Rows.string(r, "name"), Rows.decimal(r, "price"), Rows.string(r, "currency"),
                        Rows.instant(r, "fetched_at"), Rows.string(r, "last_outcome")), productId);
    }

    private static <T> T uniqueName(PriceFeedBody body, java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) {
                throw ApiException.conflict("A price feed named '" + body.name().strip() + "' already exists");
            }
            throw e;
        }
    }

    static PriceFeed feed(DbRow r) {
        PriceFeedBody.Mapping mapping = Json.read(Rows.string(r, "mapping"), PriceFeedBody.Mapping.class);
        return new PriceFeed(Rows.uuid(r, "id"), Rows.string(r, "name"), Rows.string(r, "url"), Rows.string(r, "format"), mapping,
                Rows.string(r, "currency"), Rows.intValue(r, "interval_minutes"), Rows.bool(r, "enabled"), Rows.instant(r, "next_fetch_at"),
                new PriceFeed.Status(Rows.string(r, "last_outcome"), Rows.instant(r, "last_attempt_at"), Rows.instant(r, "last_success_at"),
                        Rows.string(r, "last_error"), Rows.instant(r, "last_error_at"), nullableInt(r, "rows_matched"),
                        nullableInt(r, "rows_unmatched"), nullableInt(r, "rows_rejected")),
                Rows.instant(r, "created_at"), Rows.instant(r, "updated_at"));
    }

    private static Integer nullableInt(DbRow r, String column) {
        Object value = r.column(column).get(Object.class);
        return value == null ? null : ((Number) value).intValue();
    }
}
