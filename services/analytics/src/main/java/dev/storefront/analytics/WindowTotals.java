package dev.storefront.analytics;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.storefront.common.db.Database;
import dev.storefront.common.db.Rows;
import io.helidon.dbclient.DbExecute;

/**
 * Running totals per product and per search query for the standard windows ({@code
 * storefront.analytics.windows}, e.g. 24h, 7d, 30d, each ending now), so a question about one of them
 * reads one row per product or query that had activity in it instead of one per product and hour or
 * day: its cost follows the number of products, not of events.
 * <p>
 * A window is every bucket (shop hour for an "h" window, shop day for a "d" one) from its {@code start}
 * on. Ingest adds each rollup change whose bucket is at or after a window's start to that window, in
 * the transaction that writes the hourly/daily rollups, holding {@link #LOCK} shared from reading the
 * starts until it commits. {@link #roll} moves a start forward holding the lock exclusively and
 * subtracts the buckets that left, read from the hourly/daily rollups: every change committed before it
 * was added to the window (and is subtracted), every change after it sees the new start. A window with
 * no state yet, or further behind than its own length, is rebuilt from the rollups instead.
 */
final class WindowTotals {
    /** The advisory lock between ingest (shared) and moving a window's start (exclusive). */
    private static final long LOCK = 0x616E_616C_7977_696EL;
    private static final Pattern SPEC = Pattern.compile("^([1-9][0-9]{0,2})([hd])$");

    /** A configured window: {@code amount} hours or days, ending now. */
    record Spec(String name, int amount, boolean hourly) {
        /** Where the window ending at {@code now} (shop time) starts. */
        LocalDateTime startAt(LocalDateTime now) {
            return hourly ? now.truncatedTo(ChronoUnit.HOURS).minusHours(amount - 1L)
                    : now.toLocalDate().minusDays(amount - 1L).atStartOfDay();
        }
    }

    /** A window as ingest sees it: its name, granularity and the first bucket it holds. */
    record Open(String name, boolean hourly, LocalDateTime start) {
        boolean holds(LocalDateTime hour, LocalDate day) {
            return hourly ? !hour.isBefore(start) : !day.isBefore(start.toLocalDate());
        }
    }

    static List<Spec> specs(String text) {
        List<Spec> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            Matcher m = SPEC.matcher(name);
            if (!m.matches() || (m.group(2).equals("h") && Integer.parseInt(m.group(1)) > 168)) {
                throw new IllegalStateException("storefront.analytics.windows: " + name + " is not a window (1h..168h or 1d..999d, e.g. 24h,7d,30d)");
            }
            if (out.stream().noneMatch(s -> s.name().equals(name))) {
                out.add(new Spec(name, Integer.parseInt(m.group(1)), m.group(2).equals("h")));
            }
        }
        return List.copyOf(out);
    }

    private final Database db;
    private final List<Spec> specs;

    WindowTotals(Database db, List<Spec> specs) {
        this.db = db;
        this.specs = specs;
    }

    /** The configured window of that name (24h, 7d...), if it is one. */
    Optional<Spec> spec(String name) {
        return specs.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * In an ingest transaction: every window that has a state (whatever this replica's configuration),
     * read under the shared lock, which the transaction then holds until it ends.
     */
    static List<Open> open(DbExecute tx) {
        tx.query("SELECT pg_advisory_xact_lock_shared(?)", LOCK).forEach(r -> { });
        return Database.list(tx, "SELECT name, hourly, start::text AS start FROM window_state ORDER BY name",
                r -> new Open(Rows.string(r, "name"), Rows.bool(r, "hourly"), LocalDateTime.parse(Rows.string(r, "start").replace(' ', 'T'))));
    }

    /** Moves every configured window to end at {@code now} (the partition job calls this). */
    void rollAll(LocalDateTime now) {
        for (Spec s : specs) {
            roll(s, s.startAt(now));
        }
    }

    /**
     * Brings the window to start at {@code start} (what a query over it asks for). Cheap when it
     * already does: one primary-key read.
     */
    void roll(Spec spec, LocalDateTime start) {
        if (start.equals(startOf(db.execute(), spec.name()).orElse(null))) {
            return;
        }
        db.inTransactionDo(tx -> {
            tx.query("SELECT pg_advisory_xact_lock(?)", LOCK).forEach(r -> { });
            Optional<LocalDateTime> current = startOf(tx, spec.name());
            if (current.isPresent() && current.get().equals(start)) {
                return; // another replica or request moved it meanwhile
            }
            boolean sameKind = current.isPresent() && Database.count(tx, "SELECT count(*) FROM window_state WHERE name = ? AND hourly = ?",
                    spec.name(), spec.hourly()) == 1;
            long behind = current.map(c -> spec.hourly() ? ChronoUnit.HOURS.between(c, start) : ChronoUnit.DAYS.between(c, start)).orElse(-1L);
            if (sameKind && behind > 0 && behind < spec.amount()) {
                subtract(tx, spec, current.get(), start);
            } else {
                rebuild(tx, spec, start);
            }
            tx.dml("INSERT INTO window_state (name, hourly, start) VALUES (?, ?, ?::timestamp) "
                    + "ON CONFLICT (name) DO UPDATE SET hourly = EXCLUDED.hourly, start = EXCLUDED.start", spec.name(), spec.hourly(), start.toString());
        });
    }

    private static Optional<LocalDateTime> startOf(DbExecute exec, String name) {
        return Database.one(exec, "SELECT start::text AS start FROM window_state WHERE name = ?",
                r -> LocalDateTime.parse(Rows.string(r, "start").replace(' ', 'T')), name);
    }

    private static String bucket(Spec spec) {
        return spec.hourly() ? "hour" : "day";
    }

    private static String bound(Spec spec, LocalDateTime t) {
        return spec.hourly() ? t.toString() : t.toLocalDate().toString();
    }

    private static String cast(Spec spec) {
        return spec.hourly() ? "timestamp" : "date";
    }

    /** Takes the buckets [from, to) out of the window; drops the rows left at zero. */
    private static void subtract(DbExecute tx, Spec spec, LocalDateTime from, LocalDateTime to) {
        String suffix = spec.hourly() ? "_hourly" : "_daily";
        String range = bucket(spec) + " >= ?::" + cast(spec) + " AND " + bucket(spec) + " < ?::" + cast(spec);
        tx.dml("""
                UPDATE product_window w SET views = w.views - g.views, adds = w.adds - g.adds, purchases = w.purchases - g.purchases,
                    revenue = w.revenue - g.revenue
                FROM (SELECT product_id, sum(views) AS views, sum(adds) AS adds, sum(purchases) AS purchases, sum(revenue) AS revenue
                      FROM product%s WHERE %s GROUP BY product_id) g
                WHERE w.name = ? AND w.product_id = g.product_id""".formatted(suffix, range), bound(spec, from), bound(spec, to), spec.name());
        tx.dml("""
                UPDATE search_window w SET searches = w.searches - g.searches, zero_results = w.zero_results - g.zero_results
                FROM (SELECT query, sum(searches) AS searches, sum(zero_results) AS zero_results
                      FROM search%s WHERE %s GROUP BY query) g
                WHERE w.name = ? AND w.query = g.query""".formatted(suffix, range), bound(spec, from), bound(spec, to), spec.name());
        tx.dml("DELETE FROM product_window WHERE name = ? AND views = 0 AND adds = 0 AND purchases = 0 AND revenue = 0", spec.name());
        tx.dml("DELETE FROM search_window WHERE name = ? AND searches = 0 AND zero_results = 0", spec.name());
    }

    /** The window summed afresh from the hourly/daily rollups, from {@code start} on. */
    private static void rebuild(DbExecute tx, Spec spec, LocalDateTime start) {
        String suffix = spec.hourly() ? "_hourly" : "_daily";
        tx.dml("DELETE FROM product_window WHERE name = ?", spec.name());
        tx.dml("DELETE FROM search_window WHERE name = ?", spec.name());
        tx.dml("""
                INSERT INTO product_window (name, product_id, views, adds, purchases, revenue)
                SELECT ?, product_id, sum(views), sum(adds), sum(purchases), sum(revenue) FROM product%s WHERE %s >= ?::%s
                GROUP BY product_id HAVING sum(views) <> 0 OR sum(adds) <> 0 OR sum(purchases) <> 0 OR sum(revenue) <> 0"""
                .formatted(suffix, bucket(spec), cast(spec)), spec.name(), bound(spec, start));
        tx.dml("""
                INSERT INTO search_window (name, query, searches, zero_results)
                SELECT ?, query, sum(searches), sum(zero_results) FROM search%s WHERE %s >= ?::%s
                GROUP BY query HAVING sum(searches) <> 0 OR sum(zero_results) <> 0"""
                .formatted(suffix, bucket(spec), cast(spec)), spec.name(), bound(spec, start));
    }
}
