package dev.storefront.analytics;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.db.Database;
import dev.storefront.common.db.Rows;
import dev.storefront.common.web.Json;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/**
 * The analytics SQL: raw events in, the rollups they feed (in the same transaction), confirmed orders
 * and their reversal, which vendor owns which product, and the queries, which read rollups only.
 */
final class AnalyticsRepository {
    private final Database db;
    private final ZoneId zone;
    private final EventPartitions partitions;
    private final WindowTotals windows;

    AnalyticsRepository(Database db, AnalyticsSettings settings, EventPartitions partitions) {
        this.db = db;
        this.zone = settings.zone();
        this.partitions = partitions;
        this.windows = new WindowTotals(db, settings.windows());
    }

    WindowTotals windows() {
        return windows;
    }

    Database db() {
        return db;
    }

    ZoneId zone() {
        return zone;
    }

    /** What one ingest did: stored (new ids), duplicates (ids seen before), expired (older than retention). */
    record Ingested(int accepted, int duplicates, int expired) {
    }

    private LocalDateTime hourOf(Instant t) {
        return LocalDateTime.ofInstant(t, zone).truncatedTo(ChronoUnit.HOURS);
    }

    private LocalDate dayOf(Instant t) {
        return LocalDate.ofInstant(t, zone);
    }

    /**
     * Clients' events: stores those whose id is new and adds them to the rollups, all in {@code tx}. A client may
     * send an id again with another time, so ids are claimed in {@code event_ids}, which is not partitioned by time.
     */
    Ingested ingest(DbExecute tx, List<AnalyticsEvent> events) {
        return ingest(tx, events, true);
    }

    /**
     * Events from the bus, inside the consumer's transaction, which already runs each bus event once: an entry
     * arrives again only as the same (id, time), so the raw table's own key is its check and nothing is written
     * to {@code event_ids} (per view, one row and two index entries fewer).
     */
    Ingested ingestFromBus(DbExecute tx, List<AnalyticsEvent> events) {
        return ingest(tx, events, false);
    }

    /**
     * Makes the partitions the events need first (own statements: partition DDL must not sit in a long
     * transaction), then stores the new ones and adds them to the rollups.
     */
    private Ingested ingest(DbExecute tx, List<AnalyticsEvent> events, boolean claimIds) {
        Instant cutoff = partitions.cutoff();
        List<AnalyticsEvent> current = events.stream().filter(e -> !e.occurredAt().isBefore(cutoff)).toList();
        int expired = events.size() - current.size();
        if (current.isEmpty()) {
            return new Ingested(0, 0, expired);
        }
        partitions.ensure(current.stream().map(AnalyticsEvent::occurredAt).toList());
        Set<UUID> claimed = claimIds ? claimIds(tx, current) : null;
        List<AnalyticsEvent> unique = new ArrayList<>();
        Set<UUID> taken = new HashSet<>();
        for (AnalyticsEvent e : current) {
            if ((claimed == null || claimed.contains(e.id())) && taken.add(e.id())) {
                unique.add(e);
            }
        }
        Set<UUID> inserted = unique.isEmpty() ? Set.of() : insertRaw(tx, unique);
        List<AnalyticsEvent> stored = unique.stream().filter(e -> inserted.contains(e.id())).toList();
        if (stored.isEmpty()) {
            return new Ingested(0, current.size(), expired);
        }
        Rollups rollups = new Rollups();
        for (AnalyticsEvent e : stored) {
            LocalDateTime hour = hourOf(e.occurredAt());
            LocalDate day = dayOf(e.occurredAt());
            switch (e.type()) {
                case AnalyticsEvent.PAGE_VIEW -> rollups.shop(hour, day, Rollups.Shop.PAGE_VIEWS, 1);
                case AnalyticsEvent.PRODUCT_VIEW -> {
                    rollups.shop(hour, day, Rollups.Shop.VIEWS, 1);
                    rollups.product(hour, day, e.productId(), 1, 0, 0, BigDecimal.ZERO);
                }
                case AnalyticsEvent.PRODUCT_SEARCH -> {
                    rollups.shop(hour, day, Rollups.Shop.SEARCHES, 1);
                    rollups.search(hour, day, e.query(), e.resultCount() != null && e.resultCount() == 0);
                }
                case AnalyticsEvent.ADD_TO_CART -> {
                    rollups.shop(hour, day, Rollups.Shop.ADDS, 1);
                    rollups.product(hour, day, e.productId(), 0, 1, 0, BigDecimal.ZERO);
                }
                default -> throw new IllegalArgumentException("not an activity event: " + e.type());
            }
        }
        countSessions(tx, stored, rollups);
        rollups.write(tx);
        return new Ingested(stored.size(), current.size() - stored.size(), expired);
    }

    private Set<UUID> claimIds(DbExecute tx, List<AnalyticsEvent> events) {
        String[] ids = events.stream().map(e -> e.id().toString()).toArray(String[]::new);
        String[] times = events.stream().map(e -> e.occurredAt().toString()).toArray(String[]::new);
        try (Stream<DbRow> rows = tx.query("INSERT INTO event_ids (id, occurred_at) SELECT * FROM unnest(?::uuid[], ?::timestamptz[]) "
                + "ON CONFLICT DO NOTHING RETURNING id::text", ids, times)) {
            Set<UUID> fresh = new HashSet<>();
            rows.forEach(r -> fresh.add(UUID.fromString(r.column(1).as(String.class).get())));
            return fresh;
        }
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** Inserts the raw rows; answers the ids it stored (a row already there is left, and not counted again). */
    private Set<UUID> insertRaw(DbExecute tx, List<AnalyticsEvent> events) {
        int n = events.size();
        String[][] c = new String[13][n];
        for (int i = 0; i < n; i++) {
            AnalyticsEvent e = events.get(i);
            c[0][i] = e.id().toString();
            c[1][i] = e.occurredAt().toString();
            c[2][i] = e.type();
            c[3][i] = e.origin();
            c[4][i] = str(e.userId());
            c[5][i] = e.sessionId();
            c[6][i] = str(e.productId());
            c[7][i] = e.query();
            c[8][i] = str(e.resultCount());
            c[9][i] = str(e.quantity());
            c[10][i] = str(e.orderId());
            c[11][i] = e.amount() == null ? null : e.amount().toPlainString();
            c[12][i] = e.path();
        }
        try (Stream<DbRow> rows = tx.query("""
                INSERT INTO events (id, occurred_at, type, origin, user_id, session_id, product_id, query, result_count,
                                    quantity, order_id, amount, path)
                SELECT * FROM unnest(?::uuid[], ?::timestamptz[], ?::text[], ?::text[], ?::uuid[], ?::text[], ?::uuid[],
                                     ?::text[], ?::int[], ?::int[], ?::uuid[], ?::numeric[], ?::text[])
                ON CONFLICT DO NOTHING RETURNING id::text""", (Object[]) c)) {
            Set<UUID> stored = new HashSet<>();
            rows.forEach(r -> stored.add(UUID.fromString(r.column(1).as(String.class).get())));
            return stored;
        } catch (RuntimeException e) {
            if (partitions.refreshIfMissing(e)) {
                throw new PartitionGone(e);
            }
            throw e;
        }
    }

    /** The transaction met a partition that another replica dropped; the list is fresh again, so it may be retried. */
    static final class PartitionGone extends RuntimeException {
        PartitionGone(Throwable cause) {
            super("a day partition of events was dropped meanwhile", cause);
        }
    }

    /** A session counts once per hour and per day; once more as a cart session when it added something. */
    private void countSessions(DbExecute tx, List<AnalyticsEvent> events, Rollups rollups) {
        Map<String, String[]> dayRows = new LinkedHashMap<>();
        Map<String, String[]> hourRows = new LinkedHashMap<>();
        for (AnalyticsEvent e : events) {
            String key = e.sessionKey();
            if (key == null) {
                continue;
            }
            String day = dayOf(e.occurredAt()).toString();
            String hour = hourOf(e.occurredAt()).toString();
            dayRows.putIfAbsent(day + "|any|" + key, new String[] {day, "any", key});
            hourRows.putIfAbsent(hour + "|any|" + key, new String[] {hour, "any", key});
            if (AnalyticsEvent.ADD_TO_CART.equals(e.type())) {
                dayRows.putIfAbsent(day + "|cart|" + key, new String[] {day, "cart", key});
                hourRows.putIfAbsent(hour + "|cart|" + key, new String[] {hour, "cart", key});
            }
        }
        if (dayRows.isEmpty()) {
            return;
        }
        for (String[] r : newSessions(tx, "session_days", "day", "date", dayRows.values())) {
            rollups.shopDay(LocalDate.parse(r[0]), "cart".equals(r[1]) ? Rollups.Shop.CART_SESSIONS : Rollups.Shop.SESSIONS, 1);
        }
        for (String[] r : newSessions(tx, "session_hours", "hour", "timestamp", hourRows.values())) {
            rollups.shopHour(LocalDateTime.parse(r[0].replace(' ', 'T')),
                    "cart".equals(r[1]) ? Rollups.Shop.CART_SESSIONS : Rollups.Shop.SESSIONS, 1);
        }
    }

    private static List<String[]> newSessions(DbExecute tx, String table, String bucket, String type, java.util.Collection<String[]> rows) {
        List<String[]> sorted = rows.stream().sorted(java.util.Comparator.comparing((String[] r) -> String.join("|", r))).toList();
        String[] buckets = sorted.stream().map(r -> r[0]).toArray(String[]::new);
        String[] kinds = sorted.stream().map(r -> r[1]).toArray(String[]::new);
        String[] keys = sorted.stream().map(r -> r[2]).toArray(String[]::new);
        try (Stream<DbRow> out = tx.query("INSERT INTO " + table + " (" + bucket + ", kind, session_key) SELECT * FROM unnest(?::"
                + type + "[], ?::text[], ?::text[]) ON CONFLICT DO NOTHING RETURNING " + bucket + "::text, kind", buckets, kinds, keys)) {
            return out.map(r -> new String[] {r.column(1).as(String.class).get(), r.column(2).as(String.class).get()}).toList();
        }
    }

    // ---- orders ------------------------------------------------------------------------------------

    /** A line of a confirmed order, as order's event carries it. */
    record Line(UUID productId, int quantity, BigDecimal lineTotal) {
    }

    /**
     * A confirmed order: one {@code purchase} event, the shop's orders and revenue and each product's
     * purchases and revenue in the hour and day it was confirmed. Nothing is added when a cancellation
     * or refund of it was counted first (the bus does not order events of different types).
     */
    boolean orderConfirmed(DbExecute tx, UUID eventId, UUID orderId, UUID userId, Instant at, BigDecimal total, List<Line> lines) {
        partitions.ensure(List.of(at));
        boolean counted = tx.get("""
                INSERT INTO counted_orders (order_id, confirmed_at, total, items) VALUES (?, ?, ?, ?::jsonb)
                ON CONFLICT (order_id) DO UPDATE SET confirmed_at = EXCLUDED.confirmed_at, total = EXCLUDED.total, items = EXCLUDED.items
                WHERE counted_orders.confirmed_at IS NULL
                RETURNING NOT reversed AS counts""", orderId, Rows.param(at), total, Json.write(lines))
                .map(r -> Rows.bool(r, "counts")).orElse(false);
        if (!at.isBefore(partitions.cutoff())) { // past retention: counted in the rollups, no raw record kept
            AnalyticsEvent purchase = purchaseEvent(eventId, orderId, userId, at, total);
            if (claimIds(tx, List.of(purchase)).contains(eventId)) {
                insertRaw(tx, List.of(purchase));
            }
        }
        if (!counted) {
            return false;
        }
        Rollups rollups = new Rollups();
        addOrder(rollups, at, total, lines, 1);
        rollups.write(tx);
        return true;
    }

    private static AnalyticsEvent purchaseEvent(UUID eventId, UUID orderId, UUID userId, Instant at, BigDecimal total) {
        return new AnalyticsEvent(eventId, AnalyticsEvent.PURCHASE, at, "bus", userId, null, null, null, null, null, orderId, total, null);
    }

    private void addOrder(Rollups rollups, Instant at, BigDecimal total, List<Line> lines, int sign) {
        LocalDateTime hour = hourOf(at);
        LocalDate day = dayOf(at);
        BigDecimal s = BigDecimal.valueOf(sign);
        rollups.shop(hour, day, Rollups.Shop.ORDERS, sign);
        rollups.revenue(hour, day, total.multiply(s));
        for (Line line : lines) {
            rollups.product(hour, day, line.productId(), 0, 0, (long) sign * line.quantity(), line.lineTotal().multiply(s));
        }
    }

    /**
     * A cancelled or refunded order: what its confirmation added is taken back (once, from the hour and
     * day it was added to) and the cancellation or refund is counted when it happened.
     */
    void orderReversed(DbExecute tx, UUID eventId, UUID orderId, Instant at, boolean refund, BigDecimal amount) {
        Rollups rollups = new Rollups();
        rollups.shop(hourOf(at), dayOf(at), refund ? Rollups.Shop.REFUNDED : Rollups.Shop.CANCELLED, 1);
        var previous = tx.get("""
                INSERT INTO counted_orders (order_id, reversed) VALUES (?, true)
                ON CONFLICT (order_id) DO UPDATE SET reversed = true WHERE NOT counted_orders.reversed
                RETURNING confirmed_at, total, items::text AS items""", orderId);
        previous.filter(r -> r.column("confirmed_at").get() != null).ifPresent(r -> {
            List<Line> lines = List.of(Json.read(Rows.string(r, "items"), Line[].class));
            addOrder(rollups, Rows.instant(r, "confirmed_at"), Rows.decimal(r, "total"), lines, -1);
        });
        if (!at.isBefore(partitions.cutoff())) {
            partitions.ensure(List.of(at));
            AnalyticsEvent e = new AnalyticsEvent(eventId, refund ? AnalyticsEvent.ORDER_REFUNDED : AnalyticsEvent.ORDER_CANCELLED,
                    at, "bus", null, null, null, null, null, null, orderId, amount, null);
            if (claimIds(tx, List.of(e)).contains(eventId)) {
                insertRaw(tx, List.of(e));
            }
        }
        rollups.write(tx);
    }

    // ---- products ----------------------------------------------------------------------------------

    void productChanged(DbExecute tx, UUID productId, UUID vendorId, String name) {
        tx.dml("""
                INSERT INTO products (product_id, vendor_id, name) VALUES (?, ?, ?)
                ON CONFLICT (product_id) DO UPDATE SET vendor_id = EXCLUDED.vendor_id, name = EXCLUDED.name, updated_at = now()""",
                productId, vendorId, name == null ? "" : name);
    }

    static JsonNode field(JsonNode data, String name) {
        return data == null ? null : data.get(name);
    }

    // ---- queries (rollups only) --------------------------------------------------------------------

    record DaySeries(String day, long sessions, long cartSessions, long pageViews, long views, long searches, long adds,
                     long orders, BigDecimal revenue, long cancelled, long refunded) {
    }

    /** The shop's days from..to (inclusive), every day present (zeros for a quiet one). */
    List<DaySeries> shopDays(LocalDate from, LocalDate to) {
        Map<String, DaySeries> found = new LinkedHashMap<>();
        Database.list(db.execute(), """
                SELECT day::text AS day, sessions, cart_sessions, page_views, views, searches, adds, orders, revenue, cancelled, refunded
                FROM shop_daily WHERE day BETWEEN ?::date AND ?::date""", r -> new DaySeries(Rows.string(r, "day"),
                Rows.longValue(r, "sessions"), Rows.longValue(r, "cart_sessions"), Rows.longValue(r, "page_views"),
                Rows.longValue(r, "views"), Rows.longValue(r, "searches"), Rows.longValue(r, "adds"),
                Rows.longValue(r, "orders"), Rows.decimal(r, "revenue"), Rows.longValue(r, "cancelled"),
                Rows.longValue(r, "refunded")), from.toString(), to.toString())
                .forEach(d -> found.put(d.day(), d));
        List<DaySeries> all = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            all.add(found.getOrDefault(d.toString(), new DaySeries(d.toString(), 0, 0, 0, 0, 0, 0, 0, BigDecimal.ZERO, 0, 0)));
        }
        return all;
    }

    record ProductDay(String day, long views, long adds, long purchases, BigDecimal revenue) {
    }

    /** A vendor's products summed per day from..to, every day present. */
    List<ProductDay> vendorDays(UUID vendorId, LocalDate from, LocalDate to) {
        Map<String, ProductDay> found = new LinkedHashMap<>();
        Database.list(db.execute(), """
                SELECT d.day::text AS day, sum(d.views) AS views, sum(d.adds) AS adds, sum(d.purchases) AS purchases,
                       sum(d.revenue) AS revenue
                FROM product_daily d JOIN products p ON p.product_id = d.product_id
                WHERE p.vendor_id = ? AND d.day BETWEEN ?::date AND ?::date GROUP BY d.day""",
                r -> new ProductDay(Rows.string(r, "day"), Rows.longValue(r, "views"), Rows.longValue(r, "adds"),
                        Rows.longValue(r, "purchases"), Rows.decimal(r, "revenue")), vendorId, from.toString(), to.toString())
                .forEach(d -> found.put(d.day(), d));
        List<ProductDay> all = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            all.add(found.getOrDefault(d.toString(), new ProductDay(d.toString(), 0, 0, 0, BigDecimal.ZERO)));
        }
        return all;
    }

    record ProductStat(UUID productId, String name, long views, long adds, long purchases, BigDecimal revenue) {
    }

    /**
     * A time window over the rollups: hours (from the hourly tables) or days (the daily ones); {@code
     * totals} when it is one of the configured windows kept as running totals ({@link WindowTotals}).
     */
    record Window(String text, boolean hourly, String from, Optional<WindowTotals.Spec> totals) {
    }

    Window window(String text, int amount, boolean hours) {
        WindowTotals.Spec spec = new WindowTotals.Spec(text, amount, hours);
        LocalDateTime start = spec.startAt(LocalDateTime.now(zone));
        Optional<WindowTotals.Spec> totals = windows.spec(text).filter(spec::equals);
        return new Window(text, hours, hours ? start.toString() : start.toLocalDate().toString(), totals);
    }

    /** The window's running totals brought to start where {@code w} does; false when it has none. */
    private boolean rolled(Window w) {
        w.totals().ifPresent(spec -> windows.roll(spec, w.hourly() ? LocalDateTime.parse(w.from()) : LocalDate.parse(w.from()).atStartOfDay()));
        return w.totals().isPresent();
    }

    List<ProductStat> popular(Window w, String by, UUID vendorId, int limit) {
        if (rolled(w)) {
            return windowProducts(w.text(), switch (by) {
                case "purchases" -> "purchases DESC, revenue DESC";
                case "revenue" -> "revenue DESC, purchases DESC";
                default -> "views DESC, adds DESC";
            }, vendorId, limit);
        }
        String table = w.hourly() ? "product_hourly" : "product_daily";
        String bucket = w.hourly() ? "hour" : "day";
        String cast = w.hourly() ? "timestamp" : "date";
        String order = switch (by) {
            case "purchases" -> "purchases DESC, revenue DESC";
            case "revenue" -> "revenue DESC, purchases DESC";
            default -> "views DESC, adds DESC";
        };
        List<Object> params = new ArrayList<>();
        params.add(w.from());
        String vendor = "";
        if (vendorId != null) {
            vendor = " AND s.product_id IN (SELECT product_id FROM products WHERE vendor_id = ?)";
            params.add(vendorId);
        }
        params.add(limit);
        return Database.list(db.execute(), """
                SELECT t.product_id::text AS product_id, p.name, t.views, t.adds, t.purchases, t.revenue FROM (
                    SELECT s.product_id, sum(s.views) AS views, sum(s.adds) AS adds, sum(s.purchases) AS purchases,
                           sum(s.revenue) AS revenue
                    FROM %s s WHERE s.%s >= ?::%s%s GROUP BY s.product_id) t
                LEFT JOIN products p ON p.product_id = t.product_id
                ORDER BY %s, t.product_id LIMIT ?""".formatted(table, bucket, cast, vendor, order.replace("purchases", "t.purchases")
                .replace("revenue", "t.revenue").replace("views", "t.views").replace("adds", "t.adds")),
                AnalyticsRepository::productStat, params.toArray());
    }

    /** The top products of a window's running totals: at most one row per product read. */
    private List<ProductStat> windowProducts(String window, String order, UUID vendorId, int limit) {
        List<Object> params = new ArrayList<>();
        params.add(window);
        String vendor = "";
        if (vendorId != null) {
            vendor = " AND s.product_id IN (SELECT product_id FROM products WHERE vendor_id = ?)";
            params.add(vendorId);
        }
        params.add(limit);
        String outer = order.replace("purchases", "t.purchases").replace("revenue", "t.revenue").replace("views", "t.views").replace("adds", "t.adds");
        return Database.list(db.execute(), """
                SELECT t.product_id::text AS product_id, p.name, t.views, t.adds, t.purchases, t.revenue FROM (
                    SELECT s.product_id, s.views, s.adds, s.purchases, s.revenue FROM product_window s
                    WHERE s.name = ?%s ORDER BY %s, s.product_id LIMIT ?) t
                LEFT JOIN products p ON p.product_id = t.product_id
                ORDER BY %s, t.product_id""".formatted(vendor, order, outer), AnalyticsRepository::productStat, params.toArray());
    }

    /**
     * The top products from..to: from the running totals when the range is a configured day window
     * ending today (and nothing is counted after today), else summed from the daily rollups.
     */
    List<ProductStat> topProducts(LocalDate from, LocalDate to, UUID vendorId, int limit) {
        int days = (int) ChronoUnit.DAYS.between(from, to) + 1;
        if (to.equals(today()) && windows.spec(days + "d").isPresent()
                // max(day) reads one end of the primary key's index whatever the plan; "day > ? LIMIT 1" in a
                // generic plan became a full scan that found nothing (28 ms over 100 thousand events)
                && Database.count(db.execute(), "SELECT CASE WHEN max(day) > ?::date THEN 1 ELSE 0 END FROM product_daily", to.toString()) == 0) {
            Window w = window(days + "d", days, false);
            if (w.from().equals(from.toString()) && rolled(w)) {
                return windowProducts(w.text(), "revenue DESC, purchases DESC, views DESC", vendorId, limit);
            }
        }
        List<Object> params = new ArrayList<>(List.of(from.toString(), to.toString()));
        String vendor = "";
        if (vendorId != null) {
            vendor = " AND s.product_id IN (SELECT product_id FROM products WHERE vendor_id = ?)";
            params.add(vendorId);
        }
        params.add(limit);
        return Database.list(db.execute(), """
                SELECT t.product_id::text AS product_id, p.name, t.views, t.adds, t.purchases, t.revenue FROM (
                    SELECT s.product_id, sum(s.views) AS views, sum(s.adds) AS adds, sum(s.purchases) AS purchases,
                           sum(s.revenue) AS revenue
                    FROM product_daily s WHERE s.day BETWEEN ?::date AND ?::date%s GROUP BY s.product_id) t
                LEFT JOIN products p ON p.product_id = t.product_id
                ORDER BY t.revenue DESC, t.purchases DESC, t.views DESC, t.product_id LIMIT ?""".formatted(vendor),
                AnalyticsRepository::productStat, params.toArray());
    }

    private static ProductStat productStat(DbRow r) {
        return new ProductStat(UUID.fromString(Rows.string(r, "product_id")), Rows.string(r, "name"), Rows.longValue(r, "views"),
                Rows.longValue(r, "adds"), Rows.longValue(r, "purchases"), Rows.decimal(r, "revenue"));
    }

    record QueryStat(String query, long searches, long zeroResults) {
    }

    /** The most searched queries in the window, or (zeroOnly) the ones that most often found nothing. */
    List<QueryStat> searches(Window w, boolean zeroOnly, int limit) {
        if (rolled(w)) {
            return Database.list(db.execute(), """
                    SELECT query, searches, zero_results FROM search_window WHERE name = ?%s ORDER BY %s DESC, query LIMIT ?"""
                    .formatted(zeroOnly ? " AND zero_results > 0" : "", zeroOnly ? "zero_results" : "searches"),
                    r -> new QueryStat(Rows.string(r, "query"), Rows.longValue(r, "searches"), Rows.longValue(r, "zero_results")),
                    w.text(), limit);
        }
        String table = w.hourly() ? "search_hourly" : "search_daily";
        String bucket = w.hourly() ? "hour" : "day";
        String cast = w.hourly() ? "timestamp" : "date";
        return Database.list(db.execute(), """
                SELECT query, sum(searches) AS searches, sum(zero_results) AS zero_results FROM %s
                WHERE %s >= ?::%s GROUP BY query %s ORDER BY %s DESC, query LIMIT ?""".formatted(table, bucket, cast,
                zeroOnly ? "HAVING sum(zero_results) > 0" : "", zeroOnly ? "sum(zero_results)" : "sum(searches)"),
                r -> new QueryStat(Rows.string(r, "query"), Rows.longValue(r, "searches"), Rows.longValue(r, "zero_results")),
                w.from(), limit);
    }

    /** Today's date in the shop's time zone. */
    LocalDate today() {
        return LocalDate.now(zone);
    }

    static Instant utcMidnight(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
