package dev.storefront.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.storefront.common.db.Database;
import dev.storefront.common.db.Rows;
import dev.storefront.common.events.Outbox;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.ErrorCode;
import dev.storefront.common.web.FieldError;
import dev.storefront.common.web.Json;
import dev.storefront.common.web.Page;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/**
 * All of the order service's SQL. Creation is idempotent through the unique idempotency key;
 * a status change is one conditional UPDATE (the current status must be one the target allows),
 * so of two concurrent transitions only one can win. Each change writes its history row and its
 * event in the same transaction.
 */
public final class OrderRepository {
    private static final String ORDER_COLUMNS = """
            id, user_id, status, subtotal, total, currency, shipping_address, payment_transaction_id, created_at, updated_at""";

    /** A new order's lines, already validated. */
    public record NewOrder(String idempotencyKey, String requestHash, UUID userId, List<Order.Item> items,
                           BigDecimal subtotal, String currency, ShippingAddress shippingAddress) {
    }

    public record Created(Order order, boolean created) {
    }

    /** The outcome of a status change: the order as it is now, and whether this call changed it. */
    public record Transition(Order order, boolean changed) {
    }

    /** What an order listing selects; null fields do not filter. {@code to} is exclusive. */
    public record Filter(UUID userId, OrderStatus status, Instant from, Instant to) {
    }

    private final Database db;
    private final Outbox outbox;

    public OrderRepository(Database db, Outbox outbox) {
        this.db = db;
        this.outbox = outbox;
    }

    /** Creates the order, or returns the one already made with this key (if it is the same request). */
    public Created create(NewOrder o) {
        return db.inTransaction(tx -> {
            UUID id = UUID.randomUUID();
            // the total is the subtotal until shipping and tax exist
            boolean inserted = tx.get("""
                    INSERT INTO orders (id, user_id, idempotency_key, request_hash, status, subtotal, total, currency, shipping_address)
                    VALUES (?, ?, ?, ?, 'PENDING', ?, ?, ?, ?::jsonb)
                    ON CONFLICT (idempotency_key) DO NOTHING
                    RETURNING id""",
                    id, o.userId(), o.idempotencyKey(), o.requestHash(), o.subtotal(), o.subtotal(), o.currency(),
                    Json.write(o.shippingAddress())).isPresent();
            if (!inserted) {
                DbRow existing = tx.get("SELECT id, request_hash FROM orders WHERE idempotency_key = ?", o.idempotencyKey())
                        .orElseThrow(() -> new IllegalStateException("idempotency key conflict without a row"));
                if (!o.requestHash().equals(Rows.string(existing, "request_hash"))) {
                    throw new ApiException(ErrorCode.CONFLICT,
                            "idempotencyKey was already used for a different order",
                            List.of(new FieldError("idempotencyKey", "was used for a different order")),
                            null, null);
                }
                return new Created(load(tx, Rows.uuid(existing, "id")).orElseThrow(), false);
            }
            int line = 0;
            for (Order.Item item : o.items()) {
                tx.insert("INSERT INTO order_items (order_id, line_no, product_id, name, unit_price, quantity) VALUES (?, ?, ?, ?, ?, ?)",
                        id, ++line, item.productId(), item.name(), item.unitPrice(), item.quantity());
            }
            tx.insert("INSERT INTO order_status_history (order_id, status, note) VALUES (?, 'PENDING', 'Order placed')", id);
            Order order = load(tx, id).orElseThrow();
            outbox.append(tx, OrderStatus.PENDING.eventType(), order);
            return new Created(order, true);
        });
    }

    /**
     * Moves the order to {@code target} if its current status allows it. The same status again is a
     * no-op (changed = false); an order that does not exist is 404; any other status is 409.
     */
    public Transition transition(UUID id, OrderStatus target, String note, String paymentTransactionId) {
        return db.inTransaction(tx -> {
            String[] allowed = target.allowedFrom().stream().map(Enum::name).toArray(String[]::new);
            // the subquery locks the row and reads the status being replaced (for previousStatus)
            Optional<OrderStatus> previous = tx.get("""
                    UPDATE orders o SET status = ?, updated_at = now(),
                        payment_transaction_id = COALESCE(?, o.payment_transaction_id)
                    FROM (SELECT id, status FROM orders WHERE id = ? FOR UPDATE) old
                    WHERE o.id = old.id AND old.status = ANY(?::text[])
                    RETURNING old.status AS previous_status""",
                    target.name(), paymentTransactionId, id, allowed)
                    .map(r -> OrderStatus.valueOf(Rows.string(r, "previous_status")));
            if (previous.isEmpty()) {
                Order current = load(tx, id).orElseThrow(() -> ApiException.notFound("Order"));
                if (current.status() == target) {
                    return new Transition(current, false);
                }
                throw ApiException.conflict("An order that is " + current.status() + " cannot become " + target);
            }
            tx.insert("INSERT INTO order_status_history (order_id, status, note) VALUES (?, ?, ?)", id, target.name(), note);
            Order order = load(tx, id).orElseThrow();
            outbox.append(tx, target.eventType(), eventData(order, previous.get()));
            return new Transition(order, true);
        });
    }

    /**
     * The Order resource; a cancellation adds {@code previousStatus} (CONFIRMED means paid and stock
     * committed: payment refunds and inventory restocks on it) and {@code orderId} for consumers
     * that key by it.
     */
    private static Object eventData(Order order, OrderStatus previous) {
        if (order.status() != OrderStatus.CANCELLED) {
            return order;
        }
        ObjectNode data = (ObjectNode) Json.tree(order);
        data.put("orderId", order.id().toString());
        data.put("previousStatus", previous.name());
        return data;
    }

    public Optional<Order> find(UUID id) {
        return load(db.execute(), id);
    }

    public List<Order> list(Filter filter, Page page) {
        List<Object> params = new ArrayList<>();
        String where = where(filter, params);
        params.add(page.limit());
        params.add(page.offset());
        DbExecute exec = db.execute();
        List<DbRow> rows = Database.list(exec, "SELECT " + ORDER_COLUMNS + " FROM orders" + where
                + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", r -> r, params.toArray());
        return assemble(exec, rows);
    }

    public long count(Filter filter) {
        List<Object> params = new ArrayList<>();
        return Database.count(db.execute(), "SELECT count(*) FROM orders" + where(filter, params), params.toArray());
    }

    private static String where(Filter f, List<Object> params) {
        List<String> conditions = new ArrayList<>();
        if (f.userId() != null) {
            conditions.add("user_id = ?");
            params.add(f.userId());
        }
        if (f.status() != null) {
            conditions.add("status = ?");
            params.add(f.status().name());
        }
        if (f.from() != null) {
            conditions.add("created_at >= ?");
            params.add(Rows.param(f.from()));
        }
        if (f.to() != null) {
            conditions.add("created_at < ?");
            params.add(Rows.param(f.to()));
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static Optional<Order> load(DbExecute exec, UUID id) {
        return exec.get("SELECT " + ORDER_COLUMNS + " FROM orders WHERE id = ?", id)
                .map(row -> assemble(exec, List.of(row)).getFirst());
    }

    /** Orders with their lines and history, two queries for the whole page. */
    private static List<Order> assemble(DbExecute exec, List<DbRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        String[] ids = rows.stream().map(r -> Rows.string(r, "id")).toArray(String[]::new);
        Map<UUID, List<Order.Item>> items = new LinkedHashMap<>();
        Database.list(exec, """
                SELECT order_id, product_id, name, unit_price, quantity, unit_price * quantity AS line_total
                FROM order_items WHERE order_id = ANY(?::uuid[]) ORDER BY order_id, line_no""", r -> r, (Object) ids)
                .forEach(r -> items.computeIfAbsent(Rows.uuid(r, "order_id"), k -> new ArrayList<>())
                        .add(new Order.Item(Rows.uuid(r, "product_id"), Rows.string(r, "name"), Rows.decimal(r, "unit_price"),
                                Rows.intValue(r, "quantity"), Rows.decimal(r, "line_total").setScale(2))));
        Map<UUID, List<Order.StatusChange>> history = new LinkedHashMap<>();
        Database.list(exec, """
                SELECT order_id, status, note, at FROM order_status_history
                WHERE order_id = ANY(?::uuid[]) ORDER BY order_id, id""", r -> r, (Object) ids)
                .forEach(r -> history.computeIfAbsent(Rows.uuid(r, "order_id"), k -> new ArrayList<>())
                        .add(new Order.StatusChange(OrderStatus.valueOf(Rows.string(r, "status")), Rows.instant(r, "at"),
                                Rows.string(r, "note"))));
        return rows.stream().map(r -> {
            UUID id = Rows.uuid(r, "id");
            return new Order(id, Rows.uuid(r, "user_id"), OrderStatus.valueOf(Rows.string(r, "status")),
                    items.getOrDefault(id, List.of()), Rows.decimal(r, "subtotal"), Rows.decimal(r, "total"),
                    Rows.string(r, "currency").trim(), Json.read(Rows.string(r, "shipping_address"), ShippingAddress.class),
                    history.getOrDefault(id, List.of()), Rows.string(r, "payment_transaction_id"),
                    Rows.instant(r, "created_at"), Rows.instant(r, "updated_at"));
        }).toList();
    }
}
