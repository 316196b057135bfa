package dev.storefront.cart;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.storefront.common.db.Database;
import dev.storefront.common.events.Outbox;
import dev.storefront.common.db.Rows;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.ErrorCode;
import dev.storefront.common.web.FieldError;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/** All of the cart's SQL. Every change is one conditional statement, so concurrent requests add up. */
public final class CartRepository {
    public static final int MAX_QUANTITY = 99;

    private static final String ITEMS = """
            SELECT i.product_id, i.name, i.unit_price, i.quantity, i.unit_price * i.quantity AS line_total,
                   i.currency, i.price_changed, i.previous_unit_price
            FROM cart_items i JOIN carts c ON c.id = i.cart_id
            WHERE c.user_id = ?
            ORDER BY i.added_at, i.product_id""";

    // What the shopper last saw for a line: the price before an unacknowledged change, else the current one.
    private static final String SEEN_PRICE = "(CASE WHEN i.price_changed THEN i.previous_unit_price ELSE i.unit_price END)";

    private final Database db;
    private final Outbox outbox;

    public CartRepository(Database db, Outbox outbox) {
        this.db = db;
        this.outbox = outbox;
    }

    /**
     * The user's cart. With {@code acknowledge} (the shopper viewing it) the price-change flags are
     * returned once and cleared in the same transaction; the lines are locked meanwhile, so a price
     * event landing at that moment is either shown now or flagged for the next view.
     */
    public Cart view(UUID userId, boolean acknowledge) {
        return db.inTransaction(tx -> view(tx, userId, acknowledge));
    }

    private static Cart view(DbExecute tx, UUID userId, boolean acknowledge) {
        List<Cart.Item> items = Database.list(tx, acknowledge ? ITEMS + " FOR UPDATE OF i" : ITEMS,
                CartRepository::item, userId);
        if (acknowledge && items.stream().anyMatch(Cart.Item::priceChanged)) {
            tx.dml("""
                    UPDATE cart_items SET price_changed = false, previous_unit_price = NULL
                    WHERE price_changed AND cart_id = (SELECT id FROM carts WHERE user_id = ?)""", userId);
        }
        return Cart.of(userId, items);
    }

    /**
     * Adds {@code quantity} units at the catalog's current price. The line's new quantity may not
     * exceed 99 nor what is available; the check and the increment are one statement. Returns the
     * cart as it is after the add (read in the same transaction).
     */
    public Cart add(UUID userId, CatalogProduct product, int quantity, int available) {
        if (quantity > available) {
            throw outOfStock(available);
        }
        return db.inTransaction(tx -> {
            // the upsert locks the cart row: adds to one cart queue up here, so the currency check holds
            UUID cartId = Rows.uuid(tx.get("""
                    INSERT INTO carts (id, user_id) VALUES (?, ?)
                    ON CONFLICT (user_id) DO UPDATE SET updated_at = now()
                    RETURNING id""", UUID.randomUUID(), userId).orElseThrow(), "id");
            Optional<String> cartCurrency = tx.get("SELECT currency FROM cart_items WHERE cart_id = ? AND product_id <> ? LIMIT 1",
                    cartId, product.id()).map(r -> Rows.string(r, "currency"));
            if (cartCurrency.isPresent() && !cartCurrency.get().equals(product.currency())) {
                throw new ApiException(ErrorCode.CONFLICT, "The cart holds " + cartCurrency.get() + " items; this product is priced in "
                        + product.currency(), List.of(new FieldError("productId", "is priced in another currency")), null, null);
            }
            boolean added = tx.get("""
                    INSERT INTO cart_items AS i (cart_id, product_id, name, unit_price, currency, quantity, catalog_updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (cart_id, product_id) DO UPDATE SET
                        quantity = i.quantity + EXCLUDED.quantity,
                        name = EXCLUDED.name,
                        currency = EXCLUDED.currency,
                        unit_price = EXCLUDED.unit_price,
                        price_changed = NULLIF(%1$s, EXCLUDED.unit_price) IS NOT NULL,
                        previous_unit_price = NULLIF(%1$s, EXCLUDED.unit_price),
                        catalog_updated_at = EXCLUDED.catalog_updated_at,
                        updated_at = now()
                    WHERE i.quantity + EXCLUDED.quantity <= LEAST(?, ?)
                    RETURNING quantity""".formatted(SEEN_PRICE),
                    cartId, product.id(), product.name(), product.price(), product.currency(), quantity,
                    Rows.param(product.updatedAt()), MAX_QUANTITY, available).isPresent();
            if (!added) {
                int current = tx.get("SELECT quantity FROM cart_items WHERE cart_id = ? AND product_id = ?", cartId, product.id())
                        .map(r -> Rows.intValue(r, "quantity")).orElse(0);
                if (current + quantity > MAX_QUANTITY) {
                    throw new ApiException(ErrorCode.CONFLICT, "A cart line holds at most " + MAX_QUANTITY + " units; it has " + current,
                            List.of(new FieldError("quantity", "would make the line exceed " + MAX_QUANTITY)), null, null);
                }
                throw outOfStock(available);
            }
            // for analytics (add-to-cart counts and rate), committed with the line it describes
            outbox.append(tx, "storefront.cart.item_added", Map.of("userId", userId, "productId", product.id(), "quantity", quantity));
            return view(tx, userId, false);
        });
    }

    /**
     * Sets the line to {@code quantity} when that many are available; the cart afterwards, or empty
     * when the cart has no such line. A missing line is told apart from a shortage before either answer.
     */
    public Optional<Cart> setQuantity(UUID userId, UUID productId, int quantity, int available) {
        return db.inTransaction(tx -> {
            if (quantity > available) {
                if (!hasLine(tx, userId, productId)) {
                    return Optional.empty();
                }
                throw outOfStock(available);
            }
            boolean set = tx.dml("""
                    UPDATE cart_items SET quantity = ?, updated_at = now()
                    WHERE product_id = ? AND cart_id = (SELECT id FROM carts WHERE user_id = ?)""",
                    quantity, productId, userId) == 1;
            return set ? Optional.of(view(tx, userId, false)) : Optional.empty();
        });
    }

    private static boolean hasLine(DbExecute tx, UUID userId, UUID productId) {
        return Database.count(tx, """
                SELECT count(*) FROM cart_items i JOIN carts c ON c.id = i.cart_id
                WHERE c.user_id = ? AND i.product_id = ?""", userId, productId) > 0;
    }

    /** Removes the line; the cart afterwards, or empty when it had no such line. */
    public Optional<Cart> remove(UUID userId, UUID productId) {
        return db.inTransaction(tx -> tx.dml("DELETE FROM cart_items WHERE product_id = ? AND cart_id = (SELECT id FROM carts WHERE user_id = ?)",
                productId, userId) == 1 ? Optional.of(view(tx, userId, false)) : Optional.empty());
    }

    /** Empties the cart (idempotent: an empty or missing cart stays so). */
    public void clear(UUID userId) {
        db.execute().dml("DELETE FROM cart_items WHERE cart_id = (SELECT id FROM carts WHERE user_id = ?)", userId);
    }

    /**
     * storefront.product.updated: every line of the product takes the new name and price; a line
     * whose price now differs from what the shopper last saw is flagged with that earlier price.
     * An event older than the line's snapshot is ignored.
     */
    public void applyProductUpdate(DbExecute tx, CatalogProduct product) {
        tx.dml("""
                WITH p AS (SELECT ?::uuid AS id, ?::text AS name, ?::numeric AS price, ?::text AS currency, ?::timestamptz AS at)
                UPDATE cart_items i SET
                    price_changed = NULLIF(%1$s, p.price) IS NOT NULL,
                    previous_unit_price = NULLIF(%1$s, p.price),
                    unit_price = p.price, name = p.name, currency = p.currency,
                    catalog_updated_at = COALESCE(p.at, i.catalog_updated_at), updated_at = now()
                FROM p
                WHERE i.product_id = p.id
                  AND (p.at IS NULL OR i.catalog_updated_at IS NULL OR i.catalog_updated_at <= p.at)""".formatted(SEEN_PRICE),
                product.id(), product.name(), product.price(), product.currency(), Rows.param(product.updatedAt()));
    }

    /** storefront.product.deleted: a product that no longer exists cannot be bought; its lines go. */
    public void applyProductDeleted(DbExecute tx, UUID productId) {
        tx.dml("DELETE FROM cart_items WHERE product_id = ?", productId);
    }

    static ApiException outOfStock(int available) {
        return new ApiException(ErrorCode.OUT_OF_STOCK, available == 0 ? "The product is out of stock" : "Only " + available + " available",
                List.of(new FieldError("quantity", "exceeds the " + available + " available")), null, null);
    }

    private static Cart.Item item(DbRow r) {
        return new Cart.Item(Rows.uuid(r, "product_id"), Rows.string(r, "name"), Rows.decimal(r, "unit_price"),
                Rows.intValue(r, "quantity"), Rows.decimal(r, "line_total").setScale(2), Rows.string(r, "currency").trim(),
                Rows.bool(r, "price_changed"), Rows.decimal(r, "previous_unit_price"));
    }
}
