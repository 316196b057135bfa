package dev.storefront.inventory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.storefront.common.db.Database;
import dev.storefront.common.db.Rows;
import dev.storefront.common.events.Outbox;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Json;
import dev.storefront.common.web.Page;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/**
 * All of inventory's SQL. Every change to several stock rows first locks them in product-id
 * order ({@link #lock}), so concurrent reservations serialise without deadlocks; CHECK
 * constraints keep every count >= 0 whatever happens. Low-stock events go out through the outbox
 * in the same transaction, once per crossing of the threshold; availability_changed once per change of in stock
 * (available > 0 and not retired), with the row's availability_version, which grows by one at each.
 */
public final class InventoryRepository {
    static final String STOCK_COLUMNS = "product_id, available, reserved, sold, low_stock_threshold";

    private final Database db;
    private final Outbox outbox;

    public InventoryRepository(Database db, Outbox outbox) {
        this.db = db;
        this.outbox = outbox;
    }

    /** A reservation answer, or the short lines when it was refused. */
    public record Outcome(Reservation reservation, List<Reservation.Shortage> shortages) {
        boolean rejected() {
            return shortages != null;
        }
    }

    record Locked(UUID productId, int available, boolean retired, boolean lowStockNotified, boolean inStock) {
    }

    record Changed(UUID productId, int available, int threshold, boolean inStock, long availabilityVersion) {
    }

    /** Whether a product can be bought, and the version of that state (grows by one at each change). */
    public record Availability(UUID productId, boolean inStock, long version) {
    }

    /** The event that announces a change of {@link Availability}; it carries no count (see docs/contracts.md). */
    static final String AVAILABILITY_CHANGED = "storefront.inventory.availability_changed";

    record Held(UUID productId, int quantity) {
    }

    // ---- reads

    public Optional<Stock> stock(UUID productId) {
        return Database.one(db.execute(), "SELECT " + STOCK_COLUMNS + " FROM stock WHERE product_id = ? AND NOT retired",
                InventoryRepository::stock, productId);
    }

    public List<Stock> lowStock(Page page) {
        return Database.list(db.execute(), "SELECT " + STOCK_COLUMNS + " FROM stock WHERE NOT retired AND available <= low_stock_threshold "
                + "ORDER BY available, product_id LIMIT ? OFFSET ?", InventoryRepository::stock, page.limit(), page.offset());
    }

    /** Every stock row's availability in product-id order, {@code limit} after {@code after} (keyset: cheap at any depth). */
    public List<Availability> availabilityAfter(UUID after, int limit) {
        return Database.list(db.execute(), "SELECT product_id, in_stock, availability_version FROM stock WHERE product_id > ?::uuid "
                        + "ORDER BY product_id LIMIT ?",
                r -> new Availability(Rows.uuid(r, "product_id"), Rows.bool(r, "in_stock"), Rows.longValue(r, "availability_version")),
                after == null ? new UUID(0, 0).toString() : after.toString(), limit);
    }

    public long lowStockCount() {
        return Database.count(db.execute(), "SELECT count(*) FROM stock WHERE NOT retired AND available <= low_stock_threshold");
    }

    // ---- stock changes

    /** Adds units (creating the row if missing); a product deleted from the catalog is a 409. */
    public Stock add(UUID productId, int quantity, Integer threshold) {
        return db.inTransaction(tx -> {
            Stock stock = tx.get("INSERT INTO stock (product_id, available, low_stock_threshold) VALUES (?, ?, coalesce(?::int, 5)) "
                            + "ON CONFLICT (product_id) DO UPDATE SET available = stock.available + EXCLUDED.available, "
                            + "low_stock_threshold = coalesce(?::int, stock.low_stock_threshold), updated_at = now() "
                            + "WHERE NOT stock.retired RETURNING " + STOCK_COLUMNS, productId, quantity, threshold, threshold)
                    .map(InventoryRepository::stock)
                    .orElseThrow(() -> ApiException.conflict("The product was deleted from the catalog"));
            afterStockChange(tx, List.of(productId));
            return stock;
        });
    }

    /** A product the catalog created: a stock row with {@code initial} units (0 outside demo runs). */
    public void productCreated(DbExecute tx, UUID productId, int initial) {
        tx.dml("INSERT INTO stock (product_id, available, low_stock_notified) VALUES (?, ?, ?) ON CONFLICT (product_id) DO NOTHING",
                productId, initial, initial <= 5);
        syncAvailability(tx, List.of(productId));
    }

    /** A product the catalog deleted: retired, so nothing more is reserved (also when it arrives first). */
    public void productDeleted(DbExecute tx, UUID productId) {
        tx.dml("INSERT INTO stock (product_id, retired, low_stock_notified) VALUES (?, true, true) "
                + "ON CONFLICT (product_id) DO UPDATE SET retired = true, updated_at = now()", productId);
        syncAvailability(tx, List.of(productId));
    }

    // ---- reservations

    /**
     * Reserves every wanted line or none. Kept to four round trips while the rows are locked: this
     * is the hot path when many shoppers want the last units of one product.
     */
    public Outcome reserve(UUID orderId, List<Requests.Want> wants, int ttlSeconds) {
        return db.inTransaction(tx -> {
            Optional<java.time.Instant> expiresAt = tx.get("INSERT INTO reservations (order_id, state, expires_at) "
                    + "VALUES (?, 'RESERVED', now() + make_interval(secs => ?)) ON CONFLICT (order_id) DO NOTHING RETURNING expires_at",
                    orderId, ttlSeconds).map(r -> Rows.instant(r, "expires_at"));
            if (expiresAt.isEmpty()) {
                Optional<Outcome> same = existing(tx, orderId, wants);
                if (same.isPresent()) {
                    return same.get();
                }
                // it expired before this retry: reserve afresh under the same order id
                tx.dml("DELETE FROM reservation_items WHERE order_id = ?", orderId);
                expiresAt = tx.get("UPDATE reservations SET state = 'RESERVED', release_reason = NULL, shortages = NULL, "
                        + "expires_at = now() + make_interval(secs => ?), updated_at = now() WHERE order_id = ? RETURNING expires_at",
                        ttlSeconds, orderId).map(r -> Rows.instant(r, "expires_at"));
            }
            Map<UUID, Locked> locked = lock(tx, ids(wants));
            List<Reservation.Shortage> shortages = shortages(locked, wants);
            if (!shortages.isEmpty()) {
                tx.dml("UPDATE reservations SET state = 'REJECTED', shortages = ?::jsonb, updated_at = now() WHERE order_id = ?",
                        Json.write(shortages), orderId);
                return new Outcome(Reservation.none(orderId), shortages);
            }
            List<Changed> changed = Database.list(tx, "WITH r AS (SELECT * FROM unnest(?::uuid[], ?::int[], ?::int[]) AS r(product_id, line, qty)), "
                            + "items AS (INSERT INTO reservation_items (order_id, product_id, line, quantity) SELECT ?::uuid, product_id, line, qty FROM r) "
                            + "UPDATE stock s SET available = s.available - r.qty, reserved = s.reserved + r.qty, updated_at = now(), "
                            + "low_stock_notified = s.available - r.qty <= s.low_stock_threshold, "
                            // in the same statement (this is the hot path): the last units sold out the product
                            + "in_stock = s.available - r.qty > 0, "
                            + "availability_version = s.availability_version + CASE WHEN s.in_stock <> (s.available - r.qty > 0) THEN 1 ELSE 0 END "
                            + "FROM r WHERE s.product_id = r.product_id AND s.available >= r.qty "
                            + "RETURNING s.product_id, s.available, s.low_stock_threshold, s.in_stock, s.availability_version",
                    r -> new Changed(Rows.uuid(r, "product_id"), Rows.intValue(r, "available"), Rows.intValue(r, "low_stock_threshold"),
                            Rows.bool(r, "in_stock"), Rows.longValue(r, "availability_version")),
                    ids(wants), wants.stream().map(Requests.Want::index).toArray(Integer[]::new), quantities(wants), orderId);
            if (changed.size() != wants.size()) {
                throw new IllegalStateException("stock changed under a row lock"); // cannot happen; rolls back
            }
            for (Changed c : changed) {
                // the flag was read under the lock: false before and low now is a crossing
                if (!locked.get(c.productId()).lowStockNotified() && c.available() <= c.threshold()) {
                    outbox.append(tx, "storefront.inventory.low_stock",
                            Map.of("productId", c.productId(), "available", c.available(), "lowStockThreshold", c.threshold()));
                }
                if (locked.get(c.productId()).inStock() != c.inStock()) {
                    outbox.append(tx, AVAILABILITY_CHANGED, availabilityEvent(c.productId(), c.inStock(), c.availabilityVersion()));
                }
            }
            List<Reservation.Item> items = wants.stream().sorted(java.util.Comparator.comparingInt(Requests.Want::index))
                    .map(w -> new Reservation.Item(w.productId(), w.quantity())).toList();
            return new Outcome(new Reservation(orderId, "RESERVED", items, expiresAt.orElseThrow()), null);
        });
    }

    /** The earlier answer for this order id, or empty when it expired and may be tried again. */
    private Optional<Outcome> existing(DbExecute tx, UUID orderId, List<Requests.Want> wants) {
        DbRow row = tx.get("SELECT state, shortages::text AS shortages, release_reason FROM reservations WHERE order_id = ? FOR UPDATE", orderId)
                .orElseThrow();
        String state = Rows.string(row, "state");
        if (state.equals("REJECTED")) {
            return Optional.of(new Outcome(Reservation.none(orderId), Json.mapper().convertValue(
                    Json.read(Rows.string(row, "shortages"), com.fasterxml.jackson.databind.JsonNode.class),
                    new TypeReference<List<Reservation.Shortage>>() { })));
        }
        if (state.equals("RELEASED") && "expired".equals(Rows.string(row, "release_reason"))) {
            return Optional.empty();
        }
        Map<UUID, Integer> held = new HashMap<>();
        held(tx, orderId).forEach(h -> held.put(h.productId(), h.quantity()));
        Map<UUID, Integer> asked = new HashMap<>();
        wants.forEach(w -> asked.put(w.productId(), w.quantity()));
        if (state.equals("RESERVED") || state.equals("COMMITTED")) {
            if (!held.equals(asked)) {
                throw ApiException.conflict("Order " + orderId + " already holds a reservation with other items");
            }
            return Optional.of(new Outcome(reservation(tx, orderId).orElseThrow(), null));
        }
        throw ApiException.conflict("The reservation of order " + orderId + " was already " + state.toLowerCase());
    }

    /** Gives back what a live reservation holds; {@code reason} is "requested" or "expired". */
    public Reservation release(UUID orderId) {
        return db.inTransaction(tx -> {
            Optional<String> state = lockReservation(tx, orderId);
            if (state.isEmpty() || state.get().equals("REJECTED")) {
                return Reservation.none(orderId);
            }
            switch (state.get()) {
                case "RESERVED" -> releaseHeld(tx, List.of(orderId), "requested");
                case "COMMITTED" -> throw ApiException.conflict("The reservation of order " + orderId + " is committed; restock it instead");
                default -> {
                    // RELEASED or RESTOCKED: nothing is held any more
                }
            }
            return reservation(tx, orderId).orElseThrow();
        });
    }

    /**
     * Turns a reservation into a sale. One that expired meanwhile is taken again if the stock is
     * still there (the order was paid for); otherwise the short lines come back.
     */
    public Outcome commit(UUID orderId) {
        return db.inTransaction(tx -> {
            String state = lockReservation(tx, orderId).orElseThrow(() -> ApiException.notFound("Reservation"));
            List<Held> held = held(tx, orderId);
            switch (state) {
                case "RESERVED" -> {
                    lock(tx, heldIds(held));
                    tx.dml("UPDATE stock s SET reserved = s.reserved - r.qty, sold = s.sold + r.qty, updated_at = now() "
                            + "FROM unnest(?::uuid[], ?::int[]) AS r(product_id, qty) WHERE s.product_id = r.product_id", heldIds(held), heldQuantities(held));
                }
                case "RELEASED" -> {
                    List<Requests.Want> wants = held.stream().map(h -> new Requests.Want(h.productId(), h.quantity(), 0)).toList();
                    List<Reservation.Shortage> shortages = shortages(lock(tx, heldIds(held)), wants);
                    if (!shortages.isEmpty()) {
                        return new Outcome(Reservation.none(orderId), shortages);
                    }
                    tx.dml("UPDATE stock s SET available = s.available - r.qty, sold = s.sold + r.qty, updated_at = now() "
                            + "FROM unnest(?::uuid[], ?::int[]) AS r(product_id, qty) WHERE s.product_id = r.product_id", heldIds(held), heldQuantities(held));
                    afterStockChange(tx, held.stream().map(Held::productId).toList());
                }
                case "COMMITTED" -> {
                    return new Outcome(reservation(tx, orderId).orElseThrow(), null);
                }
                default -> throw ApiException.conflict("The reservation of order " + orderId + " was " + state.toLowerCase());
            }
            tx.dml("UPDATE reservations SET state = 'COMMITTED', updated_at = now() WHERE order_id = ?", orderId);
            return new Outcome(reservation(tx, orderId).orElseThrow(), null);
        });
    }

    /** Puts sold units back after an order is cancelled; a reservation not yet committed is released. */
    public Reservation restock(UUID orderId) {
        return db.inTransaction(tx -> {
            Optional<String> state = lockReservation(tx, orderId);
            if (state.isEmpty() || state.get().equals("REJECTED")) {
                return Reservation.none(orderId);
            }
            if (state.get().equals("COMMITTED")) {
                List<Held> held = held(tx, orderId);
                lock(tx, heldIds(held));
                tx.dml("UPDATE stock s SET available = s.available + r.qty, sold = s.sold - r.qty, updated_at = now() "
                        + "FROM unnest(?::uuid[], ?::int[]) AS r(product_id, qty) WHERE s.product_id = r.product_id", heldIds(held), heldQuantities(held));
                tx.dml("UPDATE reservations SET state = 'RESTOCKED', updated_at = now() WHERE order_id = ?", orderId);
                afterStockChange(tx, held.stream().map(Held::productId).toList());
            } else if (state.get().equals("RESERVED")) {
                releaseHeld(tx, List.of(orderId), "requested");
            }
            return reservation(tx, orderId).orElseThrow();
        });
    }

    /** Releases up to {@code batch} expired reservations; replicas share the work (SKIP LOCKED). */
    public int releaseExpired(int batch) {
        return db.inTransaction(tx -> {
            List<UUID> orders = Database.list(tx, "SELECT order_id FROM reservations WHERE state = 'RESERVED' AND expires_at < now() "
                    + "ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED", r -> Rows.uuid(r, "order_id"), batch);
            if (!orders.isEmpty()) {
                releaseHeld(tx, orders, "expired");
            }
            return orders.size();
        });
    }

    /** Returns what the given RESERVED (and locked) reservations hold, and marks them released. */
    private void releaseHeld(DbExecute tx, List<UUID> orders, String reason) {
        String[] orderIds = orders.stream().map(UUID::toString).toArray(String[]::new);
        List<Held> held = Database.list(tx, "SELECT product_id, sum(quantity)::int AS quantity FROM reservation_items "
                + "WHERE order_id = ANY(?::uuid[]) GROUP BY product_id", r -> new Held(Rows.uuid(r, "product_id"), Rows.intValue(r, "quantity")),
                (Object) orderIds);
        lock(tx, heldIds(held));
        tx.dml("UPDATE stock s SET available = s.available + r.qty, reserved = s.reserved - r.qty, updated_at = now() "
                + "FROM unnest(?::uuid[], ?::int[]) AS r(product_id, qty) WHERE s.product_id = r.product_id", heldIds(held), heldQuantities(held));
        tx.dml("UPDATE reservations SET state = 'RELEASED', release_reason = ?, updated_at = now() WHERE order_id = ANY(?::uuid[])",
                reason, orderIds);
        afterStockChange(tx, held.stream().map(Held::productId).toList());
    }

    // ---- helpers

    /** Locks the stock rows in product-id order: every writer takes them in the same order. */
    private static Map<UUID, Locked> lock(DbExecute tx, String[] productIds) {
        Map<UUID, Locked> locked = new HashMap<>();
        Database.list(tx, "SELECT product_id, available, retired, low_stock_notified, in_stock FROM stock WHERE product_id = ANY(?::uuid[]) "
                                + "ORDER BY product_id FOR UPDATE",
                        r -> new Locked(Rows.uuid(r, "product_id"), Rows.intValue(r, "available"), Rows.bool(r, "retired"),
                                Rows.bool(r, "low_stock_notified"), Rows.bool(r, "in_stock")), (Object) productIds)
                .forEach(l -> locked.put(l.productId(), l));
        return locked;
    }

    private static List<Reservation.Shortage> shortages(Map<UUID, Locked> locked, List<Requests.Want> wants) {
        List<Reservation.Shortage> shortages = new ArrayList<>();
        for (Requests.Want want : wants) {
            Locked row = locked.get(want.productId());
            int available = row == null || row.retired() ? 0 : row.available();
            if (available < want.quantity()) {
                shortages.add(new Reservation.Shortage(want.productId(), want.quantity(), available, want.index()));
            }
        }
        shortages.sort(java.util.Comparator.comparing(Reservation.Shortage::line));
        return shortages;
    }

    /** What every change of available (other than a reservation's, which does it in its own statement) announces. */
    private void afterStockChange(DbExecute tx, List<UUID> productIds) {
        syncLowStock(tx, productIds);
        syncAvailability(tx, productIds);
    }

    /**
     * Emits availability_changed for rows whose in-stock state is no longer the one last announced, with the next
     * version. The rows are locked by the change that came before in this transaction, so versions follow commits.
     */
    private void syncAvailability(DbExecute tx, List<UUID> productIds) {
        String[] ids = productIds.stream().map(UUID::toString).toArray(String[]::new);
        Database.list(tx, "UPDATE stock SET in_stock = (available > 0 AND NOT retired), availability_version = availability_version + 1 "
                        + "WHERE product_id = ANY(?::uuid[]) AND in_stock <> (available > 0 AND NOT retired) "
                        + "RETURNING product_id, in_stock, availability_version",
                        r -> availabilityEvent(Rows.uuid(r, "product_id"), Rows.bool(r, "in_stock"), Rows.longValue(r, "availability_version")),
                        (Object) ids)
                .forEach(data -> outbox.append(tx, AVAILABILITY_CHANGED, data));
    }

    private static Map<String, Object> availabilityEvent(UUID productId, boolean inStock, long version) {
        return Map.of("productId", productId, "inStock", inStock, "version", version);
    }

    /** Emits low_stock for rows that just fell to their threshold, and re-arms rows back above it. */
    private void syncLowStock(DbExecute tx, List<UUID> productIds) {
        String[] ids = productIds.stream().map(UUID::toString).toArray(String[]::new);
        Database.list(tx, "UPDATE stock SET low_stock_notified = true WHERE product_id = ANY(?::uuid[]) AND NOT retired "
                        + "AND NOT low_stock_notified AND available <= low_stock_threshold RETURNING product_id, available, low_stock_threshold",
                        r -> Map.of("productId", Rows.uuid(r, "product_id"), "available", Rows.intValue(r, "available"),
                                "lowStockThreshold", Rows.intValue(r, "low_stock_threshold")), (Object) ids)
                .forEach(data -> outbox.append(tx, "storefront.inventory.low_stock", data));
        tx.dml("UPDATE stock SET low_stock_notified = false WHERE product_id = ANY(?::uuid[]) AND low_stock_notified "
                + "AND available > low_stock_threshold", (Object) ids);
    }

    private static Optional<String> lockReservation(DbExecute tx, UUID orderId) {
        return tx.get("SELECT state FROM reservations WHERE order_id = ? FOR UPDATE", orderId).map(r -> Rows.string(r, "state"));
    }

    private static List<Held> held(DbExecute tx, UUID orderId) {
        return Database.list(tx, "SELECT product_id, quantity FROM reservation_items WHERE order_id = ? ORDER BY line",
                r -> new Held(Rows.uuid(r, "product_id"), Rows.intValue(r, "quantity")), orderId);
    }

    private static Optional<Reservation> reservation(DbExecute tx, UUID orderId) {
        return tx.get("SELECT state, expires_at FROM reservations WHERE order_id = ?", orderId).map(r -> new Reservation(orderId,
                Rows.string(r, "state"), held(tx, orderId).stream().map(h -> new Reservation.Item(h.productId(), h.quantity())).toList(),
                Rows.instant(r, "expires_at")));
    }

    private static String[] ids(List<Requests.Want> wants) {
        return wants.stream().map(w -> w.productId().toString()).toArray(String[]::new);
    }

    private static List<UUID> idList(List<Requests.Want> wants) {
        return wants.stream().map(Requests.Want::productId).toList();
    }

    private static Integer[] quantities(List<Requests.Want> wants) {
        return wants.stream().map(Requests.Want::quantity).toArray(Integer[]::new);
    }

    private static String[] heldIds(List<Held> held) {
        return held.stream().map(h -> h.productId().toString()).toArray(String[]::new);
    }

    private static Integer[] heldQuantities(List<Held> held) {
        return held.stream().map(Held::quantity).toArray(Integer[]::new);
    }

    static Stock stock(DbRow r) {
        int available = Rows.intValue(r, "available");
        int threshold = Rows.intValue(r, "low_stock_threshold");
        return new Stock(Rows.uuid(r, "product_id"), available, Rows.intValue(r, "reserved"), Rows.intValue(r, "sold"),
                threshold, available <= threshold);
    }
}
