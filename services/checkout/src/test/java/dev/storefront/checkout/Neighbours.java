package dev.storefront.checkout;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.security.Authz;
import dev.storefront.common.testing.FakeNeighbour;
import dev.storefront.common.testing.FakeNeighbour.Answer;
import dev.storefront.common.testing.FakeNeighbour.Call;
import dev.storefront.common.testing.TestKeys;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.ErrorCode;
import dev.storefront.common.web.FieldError;

/**
 * Cart, catalog, order, inventory, payment (internal routes) and auth's address book with in-memory
 * state, following docs/contracts.md: idempotent by key / order id like the real services, served by
 * one {@link FakeNeighbour} ({@link #server}) that checks service tokens on /internal. Its routes are
 * named ("payment.charge", "inventory.reserve", ...) so a test can make one fail or answer late.
 */
final class Neighbours {
    record Product(UUID id, String name, BigDecimal price, String currency) {
    }

    record Line(UUID productId, int quantity) {
    }

    static final class Stock {
        int available;
        int reserved;
        int sold;

        Stock(int available) {
            this.available = available;
        }
    }

    record Reservation(List<Line> items, String state) {
    }

    record Order(UUID id, UUID userId, String key, String status, BigDecimal total, String currency, JsonNode request,
                 UUID paymentTransactionId) {
        Order with(String newStatus, UUID transactionId) {
            return new Order(id, userId, key, newStatus, total, currency, request,
                    transactionId != null ? transactionId : paymentTransactionId);
        }
    }

    record Payment(UUID id, UUID orderId, UUID userId, BigDecimal amount, String currency, String status,
                   String failureReason) {
    }

    private static final Set<String> DECLINING = Set.of("pm_card_chargeDeclined", "pm_card_chargeDeclinedInsufficientFunds");

    private final Authz authz;
    final FakeNeighbour server;

    final Map<UUID, Product> products = new ConcurrentHashMap<>();
    final Map<UUID, List<Line>> carts = new ConcurrentHashMap<>();
    final Map<UUID, Stock> stock = new ConcurrentHashMap<>();
    /** Products whose public stock view lags (shows plenty): checkout's look passes, the reservation decides. */
    final Set<UUID> staleStockView = ConcurrentHashMap.newKeySet();
    final Map<UUID, Reservation> reservations = new ConcurrentHashMap<>();
    final Map<UUID, Order> orders = new ConcurrentHashMap<>();
    final Map<String, UUID> orderKeys = new ConcurrentHashMap<>();
    final Map<UUID, Payment> payments = new ConcurrentHashMap<>();
    /** Charges the "provider" actually made, per order: must never exceed one. */
    final Map<UUID, AtomicInteger> providerCharges = new ConcurrentHashMap<>();
    final Map<UUID, List<Map<String, Object>>> addresses = new ConcurrentHashMap<>();

    Neighbours(TestKeys keys) {
        this.authz = new Authz(keys.verifier());
        server = new FakeNeighbour().requireServiceTokens(keys)
                .on("cart.get", "GET", "/internal/cart/{userId}", this::cart)
                .on("cart.clear", "DELETE", "/internal/cart/{userId}", this::clearCart)
                .on("catalog", "GET", "/internal/catalog/products", this::catalog)
                .on("order.create", "POST", "/internal/orders", this::createOrder)
                .on("order.status", "PUT", "/internal/orders/{id}/status", this::orderStatus)
                .on("inventory.reserve", "POST", "/internal/inventory/reserve", this::reserve)
                .on("inventory.release", "POST", "/internal/inventory/release", this::release)
                .on("inventory.commit", "POST", "/internal/inventory/commit", this::commit)
                .on("payment.charge", "POST", "/internal/payments/charge", this::charge)
                .on("payment.refund", "POST", "/internal/payments/refund", this::refund)
                .on("payment.byOrder", "GET", "/internal/payments/by-order/{orderId}", this::byOrder)
                .on("inventory.stock", "GET", "/api/inventory/{productId}", this::publicStock)
                .on("GET", "/api/users/addresses", call -> addresses.getOrDefault(authz.user(call.request()).userId(), List.of()));
    }

    /** Every route answers again, at once; no charge dies. */
    void heal() {
        server.heal();
        dyingCharges.set(0);
    }

    // ---- test set-up and inspection -------------------------------------------------------------

    UUID product(String price, String currency, int available) {
        UUID id = UUID.randomUUID();
        products.put(id, new Product(id, "Product " + id.toString().substring(0, 8), new BigDecimal(price), currency));
        stock.put(id, new Stock(available));
        return id;
    }

    void addToCart(UUID userId, UUID productId, int quantity) {
        carts.computeIfAbsent(userId, u -> new CopyOnWriteArrayList<>()).add(new Line(productId, quantity));
    }

    List<Order> ordersOf(UUID userId) {
        return orders.values().stream().filter(o -> o.userId().equals(userId)).toList();
    }

    synchronized void restock(UUID productId, int units) {
        stock.get(productId).available += units;
    }

    synchronized int[] stockOf(UUID productId) {
        Stock s = stock.get(productId);
        return new int[] {s.available, s.reserved, s.sold};
    }

    int providerChargesFor(UUID orderId) {
        AtomicInteger n = providerCharges.get(orderId);
        return n == null ? 0 : n.get();
    }

    // ---- the routes (a null answer is 204, Answer.created 201, anything else 200) ------------------

    /** Inventory's public stock route: no token, what is available now (reserved units are not). */
    private Object publicStock(Call call) {
        UUID id = UUID.fromString(call.param("productId"));
        int available;
        synchronized (this) {
            Stock s = stock.get(id);
            if (s == null) {
                throw ApiException.notFound("Stock");
            }
            available = staleStockView.contains(id) ? s.available + 1_000 : s.available;
        }
        return Map.of("productId", id, "quantity", available, "isLowStock", available <= 5);
    }

    private Object cart(Call call) {
        UUID userId = UUID.fromString(call.param("userId"));
        List<Map<String, Object>> items = new ArrayList<>();
        for (Line l : carts.getOrDefault(userId, List.of())) {
            Product p = products.get(l.productId());
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("productId", l.productId());
            item.put("name", p == null ? "gone" : p.name());
            item.put("unitPrice", new BigDecimal("0.01")); // a stale snapshot: checkout must re-price
            item.put("quantity", l.quantity());
            item.put("currency", p == null ? "USD" : p.currency());
            items.add(item);
        }
        return Map.of("userId", userId, "items", items, "itemCount", items.size());
    }

    private Object clearCart(Call call) {
        carts.remove(UUID.fromString(call.param("userId")));
        return null;
    }

    private Object catalog(Call call) {
        List<Product> found = new ArrayList<>();
        for (String id : call.query("ids").split(",")) {
            Product p = products.get(UUID.fromString(id));
            if (p != null) {
                found.add(p);
            }
        }
        return found;
    }

    private synchronized Object createOrder(Call call) throws IOException {
        JsonNode body = call.json();
        String key = body.path("idempotencyKey").asText();
        UUID existing = orderKeys.get(key);
        if (existing != null) {
            return orders.get(existing);
        }
        BigDecimal total = BigDecimal.ZERO;
        for (JsonNode item : body.path("items")) {
            total = total.add(item.path("unitPrice").decimalValue().multiply(BigDecimal.valueOf(item.path("quantity").asInt())));
        }
        Order order = new Order(UUID.randomUUID(), UUID.fromString(body.path("userId").asText()), key, "PENDING",
                total.setScale(2), body.path("currency").asText(), body, null);
        orders.put(order.id(), order);
        orderKeys.put(key, order.id());
        return Answer.created(order);
    }

    private synchronized Object orderStatus(Call call) throws IOException {
        JsonNode body = call.json();
        UUID id = UUID.fromString(call.param("id"));
        Order order = orders.get(id);
        if (order == null) {
            throw ApiException.notFound("Order");
        }
        String to = body.path("status").asText();
        if (to.equals(order.status())) {
            return order;
        }
        boolean legal = order.status().equals("PENDING") && Set.of("CONFIRMED", "CANCELLED").contains(to)
                || order.status().equals("CONFIRMED") && to.equals("CANCELLED");
        if (!legal) {
            throw ApiException.conflict("Order " + id + " cannot go from " + order.status() + " to " + to);
        }
        UUID tx = body.hasNonNull("paymentTransactionId") ? UUID.fromString(body.path("paymentTransactionId").asText()) : null;
        Order updated = order.with(to, tx);
        orders.put(id, updated);
        return updated;
    }

    private synchronized Object reserve(Call call) throws IOException {
        JsonNode body = call.json();
        UUID orderId = UUID.fromString(body.path("orderId").asText());
        Reservation existing = reservations.get(orderId);
        if (existing != null) {
            if (existing.state().equals("RELEASED")) {
                throw ApiException.conflict("The reservation of order " + orderId + " was released");
            }
            return Map.of("orderId", orderId, "state", existing.state());
        }
        List<Line> items = new ArrayList<>();
        List<FieldError> details = new ArrayList<>();
        List<Map<String, Object>> shortages = new ArrayList<>();
        int i = 0;
        for (JsonNode item : body.path("items")) {
            UUID productId = UUID.fromString(item.path("productId").asText());
            int quantity = item.path("quantity").asInt();
            Stock s = stock.get(productId);
            int available = s == null ? 0 : s.available;
            if (available < quantity) {
                details.add(new FieldError("items[" + i + "].productId", "only " + available + " left"));
                shortages.add(Map.of("productId", productId, "requested", quantity, "available", available));
            }
            items.add(new Line(productId, quantity));
            i++;
        }
        if (!details.isEmpty()) {
            throw new ApiException(ErrorCode.OUT_OF_STOCK, "Not enough stock", details, Map.of("shortages", shortages), null);
        }
        for (Line l : items) {
            Stock s = stock.get(l.productId());
            s.available -= l.quantity();
            s.reserved += l.quantity();
        }
        reservations.put(orderId, new Reservation(items, "RESERVED"));
        return Map.of("orderId", orderId, "state", "RESERVED");
    }

    private synchronized Object release(Call call) throws IOException {
        JsonNode body = call.json();
        UUID orderId = UUID.fromString(body.path("orderId").asText());
        Reservation r = reservations.get(orderId);
        if (r == null) {
            reservations.put(orderId, new Reservation(List.of(), "RELEASED")); // a late reserve must not hold stock
            return Map.of("orderId", orderId, "state", "NONE");
        }
        if (r.state().equals("RESERVED")) {
            for (Line l : r.items()) {
                Stock s = stock.get(l.productId());
                s.available += l.quantity();
                s.reserved -= l.quantity();
            }
            reservations.put(orderId, new Reservation(r.items(), "RELEASED"));
        } else if (r.state().equals("COMMITTED")) {
            throw ApiException.conflict("The reservation of order " + orderId + " is committed");
        }
        return Map.of("orderId", orderId, "state", "RELEASED");
    }

    private synchronized Object commit(Call call) throws IOException {
        JsonNode body = call.json();
        UUID orderId = UUID.fromString(body.path("orderId").asText());
        Reservation r = reservations.get(orderId);
        if (r == null || r.state().equals("RELEASED")) {
            throw ApiException.conflict("No reservation to commit for order " + orderId);
        }
        if (r.state().equals("RESERVED")) {
            for (Line l : r.items()) {
                Stock s = stock.get(l.productId());
                s.reserved -= l.quantity();
                s.sold += l.quantity();
            }
            reservations.put(orderId, new Reservation(r.items(), "COMMITTED"));
        }
        return Map.of("orderId", orderId, "state", "COMMITTED");
    }

    /** The next n charges leave the payment PENDING and fail, as a payment process killed mid-charge would. */
    final AtomicInteger dyingCharges = new AtomicInteger();

    private Object charge(Call call) throws IOException {
        JsonNode body = call.json();
        UUID orderId = UUID.fromString(body.path("orderId").asText());
        Payment payment;
        synchronized (this) {
            payment = payments.get(orderId);
            if (dyingCharges.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                if (payment == null) {
                    payments.put(orderId, new Payment(UUID.randomUUID(), orderId, UUID.fromString(body.path("userId").asText()),
                            body.path("amount").decimalValue(), body.path("currency").asText(), "PENDING", null));
                }
                throw ApiException.unavailable("payment died mid-charge");
            }
            if (payment == null || payment.status().equals("PENDING")) {
                boolean declined = DECLINING.contains(body.path("paymentMethod").asText());
                payment = new Payment(payment == null ? UUID.randomUUID() : payment.id(), orderId, UUID.fromString(body.path("userId").asText()),
                        body.path("amount").decimalValue(), body.path("currency").asText(),
                        declined ? "FAILED" : "COMPLETED", declined ? "Your card was declined." : null);
                payments.put(orderId, payment);
                providerCharges.computeIfAbsent(orderId, o -> new AtomicInteger()).incrementAndGet();
            }
        }
        if (payment.status().equals("FAILED")) {
            throw new ApiException(ErrorCode.PAYMENT_FAILED, "Payment failed: " + payment.failureReason(), List.of(),
                    payment, null);
        }
        return payment;
    }

    private synchronized Object refund(Call call) throws IOException {
        JsonNode body = call.json();
        UUID orderId = UUID.fromString(body.path("orderId").asText());
        Payment p = payments.get(orderId);
        if (p == null) {
            throw ApiException.notFound("Payment");
        }
        if (p.status().equals("FAILED")) {
            throw ApiException.conflict("A failed payment cannot be refunded");
        }
        Payment refunded = new Payment(p.id(), p.orderId(), p.userId(), p.amount(), p.currency(), "REFUNDED", null);
        payments.put(orderId, refunded);
        return refunded;
    }

    private Object byOrder(Call call) {
        Payment p = payments.get(UUID.fromString(call.param("orderId")));
        if (p == null) {
            throw ApiException.notFound("Payment");
        }
        return p;
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
