package dev.storefront.analytics;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.helidon.dbclient.DbExecute;

/**
 * The rollup changes one transaction makes, summed in memory per row (hour or day, and product or
 * query) and then written with one {@code INSERT ... ON CONFLICT DO UPDATE} per table, adding to what
 * is there. Rows are written in key order, so two transactions touching the same rows never deadlock.
 * A reversal (a cancelled order) adds negative amounts. The running window totals ({@link WindowTotals})
 * get the same changes, for the windows that hold their bucket.
 */
final class Rollups {
    /** Shop-wide counters, in the column order of shop_hourly / shop_daily (revenue apart). */
    enum Shop { SESSIONS, CART_SESSIONS, PAGE_VIEWS, VIEWS, SEARCHES, ADDS, ORDERS, CANCELLED, REFUNDED }

    private static final String SHOP_COLUMNS = "sessions, cart_sessions, page_views, views, searches, adds, orders, cancelled, refunded";

    private static final class ProductRow {
        long views;
        long adds;
        long purchases;
        BigDecimal revenue = BigDecimal.ZERO;
    }

    private static final class SearchRow {
        long searches;
        long zeroResults;
    }

    private static final class ShopRow {
        final long[] counts = new long[Shop.values().length];
        BigDecimal revenue = BigDecimal.ZERO;
    }

    private final Map<String, ProductRow> productHours = new TreeMap<>();
    private final Map<String, ProductRow> productDays = new TreeMap<>();
    private final Map<String, SearchRow> searchHours = new TreeMap<>();
    private final Map<String, SearchRow> searchDays = new TreeMap<>();
    private final Map<String, ShopRow> shopHours = new TreeMap<>();
    private final Map<String, ShopRow> shopDays = new TreeMap<>();

    void product(LocalDateTime hour, LocalDate day, UUID productId, long views, long adds, long purchases, BigDecimal revenue) {
        for (ProductRow row : List.of(productHours.computeIfAbsent(hour + "|" + productId, k -> new ProductRow()),
                productDays.computeIfAbsent(day + "|" + productId, k -> new ProductRow()))) {
            row.views += views;
            row.adds += adds;
            row.purchases += purchases;
            row.revenue = row.revenue.add(revenue);
        }
    }

    void search(LocalDateTime hour, LocalDate day, String query, boolean zeroResults) {
        for (SearchRow row : List.of(searchHours.computeIfAbsent(hour + "|" + query, k -> new SearchRow()),
                searchDays.computeIfAbsent(day + "|" + query, k -> new SearchRow()))) {
            row.searches++;
            row.zeroResults += zeroResults ? 1 : 0;
        }
    }

    void shopHour(LocalDateTime hour, Shop counter, long delta) {
        shopHours.computeIfAbsent(hour.toString(), k -> new ShopRow()).counts[counter.ordinal()] += delta;
    }

    void shopDay(LocalDate day, Shop counter, long delta) {
        shopDays.computeIfAbsent(day.toString(), k -> new ShopRow()).counts[counter.ordinal()] += delta;
    }

    void shop(LocalDateTime hour, LocalDate day, Shop counter, long delta) {
        shopHour(hour, counter, delta);
        shopDay(day, counter, delta);
    }

    void revenue(LocalDateTime hour, LocalDate day, BigDecimal amount) {
        ShopRow h = shopHours.computeIfAbsent(hour.toString(), k -> new ShopRow());
        h.revenue = h.revenue.add(amount);
        ShopRow d = shopDays.computeIfAbsent(day.toString(), k -> new ShopRow());
        d.revenue = d.revenue.add(amount);
    }

    void write(DbExecute tx) {
        writeProducts(tx, "product_hourly", "hour", "timestamp", productHours);
        writeProducts(tx, "product_daily", "day", "date", productDays);
        writeSearches(tx, "search_hourly", "hour", "timestamp", searchHours);
        writeSearches(tx, "search_daily", "day", "date", searchDays);
        writeShop(tx, "shop_hourly", "hour", "timestamp", shopHours);
        writeShop(tx, "shop_daily", "day", "date", shopDays);
        if (!productHours.isEmpty() || !searchHours.isEmpty()) {
            writeWindows(tx, WindowTotals.open(tx));
        }
    }

    /** The same changes added to the running window totals whose window holds their hour or day. */
    private void writeWindows(DbExecute tx, List<WindowTotals.Open> open) {
        Map<String, ProductRow> products = new TreeMap<>();
        Map<String, SearchRow> searches = new TreeMap<>();
        for (WindowTotals.Open w : open) {
            Map<String, ProductRow> productSource = w.hourly() ? productHours : productDays;
            productSource.forEach((key, row) -> {
                String[] k = key.split("\\|", 2);
                if (holds(w, k[0])) {
                    ProductRow sum = products.computeIfAbsent(w.name() + "|" + k[1], x -> new ProductRow());
                    sum.views += row.views;
                    sum.adds += row.adds;
                    sum.purchases += row.purchases;
                    sum.revenue = sum.revenue.add(row.revenue);
                }
            });
            Map<String, SearchRow> searchSource = w.hourly() ? searchHours : searchDays;
            searchSource.forEach((key, row) -> {
                String[] k = key.split("\\|", 2);
                if (holds(w, k[0])) {
                    SearchRow sum = searches.computeIfAbsent(w.name() + "|" + k[1], x -> new SearchRow());
                    sum.searches += row.searches;
                    sum.zeroResults += row.zeroResults;
                }
            });
        }
        writeProducts(tx, "product_window", "name", "text", products);
        writeSearches(tx, "search_window", "name", "text", searches);
    }

    private static boolean holds(WindowTotals.Open w, String bucket) {
        return w.hourly() ? w.holds(LocalDateTime.parse(bucket), null) : w.holds(null, LocalDate.parse(bucket));
    }

    private static void writeProducts(DbExecute tx, String table, String bucket, String bucketType, Map<String, ProductRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        String[] buckets = new String[n];
        String[] ids = new String[n];
        String[] views = new String[n];
        String[] adds = new String[n];
        String[] purchases = new String[n];
        String[] revenue = new String[n];
        int i = 0;
        for (var e : rows.entrySet()) {
            String[] key = e.getKey().split("\\|", 2);
            buckets[i] = key[0];
            ids[i] = key[1];
            views[i] = String.valueOf(e.getValue().views);
            adds[i] = String.valueOf(e.getValue().adds);
            purchases[i] = String.valueOf(e.getValue().purchases);
            revenue[i] = e.getValue().revenue.toPlainString();
            i++;
        }
        tx.dml("INSERT INTO " + table + " (" + bucket + ", product_id, views, adds, purchases, revenue) "
                + "SELECT * FROM unnest(?::" + bucketType + "[], ?::uuid[], ?::bigint[], ?::bigint[], ?::bigint[], ?::numeric[]) "
                + "ON CONFLICT (" + bucket + ", product_id) DO UPDATE SET views = " + table + ".views + EXCLUDED.views, "
                + "adds = " + table + ".adds + EXCLUDED.adds, purchases = " + table + ".purchases + EXCLUDED.purchases, "
                + "revenue = " + table + ".revenue + EXCLUDED.revenue",
                buckets, ids, views, adds, purchases, revenue);
    }

    private static void writeSearches(DbExecute tx, String table, String bucket, String bucketType, Map<String, SearchRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        String[] buckets = new String[n];
        String[] queries = new String[n];
        String[] searches = new String[n];
        String[] zero = new String[n];
        int i = 0;
        for (var e : rows.entrySet()) {
            String[] key = e.getKey().split("\\|", 2);
            buckets[i] = key[0];
            queries[i] = key[1];
            searches[i] = String.valueOf(e.getValue().searches);
            zero[i] = String.valueOf(e.getValue().zeroResults);
            i++;
        }
        tx.dml("INSERT INTO " + table + " (" + bucket + ", query, searches, zero_results) "
                + "SELECT * FROM unnest(?::" + bucketType + "[], ?::text[], ?::bigint[], ?::bigint[]) "
                + "ON CONFLICT (" + bucket + ", query) DO UPDATE SET searches = " + table + ".searches + EXCLUDED.searches, "
                + "zero_results = " + table + ".zero_results + EXCLUDED.zero_results",
                buckets, queries, searches, zero);
    }

    private static void writeShop(DbExecute tx, String table, String bucket, String bucketType, Map<String, ShopRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        int counters = Shop.values().length;
        Object[] params = new Object[counters + 2];
        String[] buckets = new String[n];
        String[][] columns = new String[counters][n];
        String[] revenue = new String[n];
        int i = 0;
        for (var e : rows.entrySet()) {
            buckets[i] = e.getKey();
            for (int c = 0; c < counters; c++) {
                columns[c][i] = String.valueOf(e.getValue().counts[c]);
            }
            revenue[i] = e.getValue().revenue.toPlainString();
            i++;
        }
        params[0] = buckets;
        System.arraycopy(columns, 0, params, 1, counters);
        params[counters + 1] = revenue;
        List<String> sets = new ArrayList<>();
        StringBuilder casts = new StringBuilder("?::" + bucketType + "[]");
        for (Shop s : Shop.values()) {
            String col = s.name().toLowerCase(java.util.Locale.ROOT);
            sets.add(col + " = " + table + "." + col + " + EXCLUDED." + col);
            casts.append(", ?::bigint[]");
        }
        sets.add("revenue = " + table + ".revenue + EXCLUDED.revenue");
        casts.append(", ?::numeric[]");
        tx.dml("INSERT INTO " + table + " (" + bucket + ", " + SHOP_COLUMNS + ", revenue) SELECT * FROM unnest(" + casts
                + ") ON CONFLICT (" + bucket + ") DO UPDATE SET " + String.join(", ", sets), params);
    }
}
