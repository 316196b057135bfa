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
import dev.storefront.common.security.Principal;
import dev.storefront.common.testing.TestKeys;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.ErrorCode;
import dev.storefront.common.web.ErrorHandling;
import dev.storefront.common.web.FieldError;
import dev.storefront.common.web.Json;
import dev.storefront.common.web.Responses;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;

/**
 * Cart, catalog, order, inventory, payment (internal routes) and auth's address book in one small
 * server with in-memory state, following docs/contracts.md: idempotent by key / order id like the
 * real services, checking service tokens on /internal, and with a switch per route to make it
 * fail ({@link Fault#DOWN}) or answer too late once after doing its work ({@link Fault#SLOW_ONCE}).
 */
final class FakeNeighbours implements AutoCloseable {
    enum Fault { DOWN, SLOW_ONCE }

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
    private final WebServer server;
    private final long slowMillis;
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();

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
    final AtomicInteger chargeCalls = new AtomicInteger();
    final Map<UUID, List<Map<String, Object>>> addresses = new ConcurrentHashMap<>();

    FakeNeighbours(TestKeys keys, long slowMillis) {
        this.authz = new Authz(keys.verifier());
        this.slowMillis = slowMillis;
        HttpRouting.Builder routing = HttpRouting.builder();
        ErrorHandling.install(routing);
        routing.get("/internal/cart/{userId}", (req, res) -> answer(req, res, "cart.get", this::cart))
                .delete("/internal/cart/{userId}", (req, res) -> answer(req, res, "cart.clear", this::clearCart))
                .get("/internal/catalog/products", (req, res) -> answer(req, res, "catalog", this::catalog))
                .post("/internal/orders", (req, res) -> answer(req, res, "order.create", this::createOrder))
                .put("/internal/orders/{id}/status", (req, res) -> answer(req, res, "order.status", this::orderStatus))
                .post("/internal/inventory/reserve", (req, res) -> answer(req, res, "inventory.reserve", this::reserve))
                .post("/internal/inventory/release", (req, res) -> answer(req, res, "inventory.release", this::release))
                .post("/internal/inventory/commit", (req, res) -> answer(req, res, "inventory.commit", this::commit))
                .post("/internal/payments/charge", (req, res) -> answer(req, res, "payment.charge", this::charge))
                .post("/internal/payments/refund", (req, res) -> answer(req, res, "payment.refund", this::refund))
                .get("/internal/payments/by-order/{orderId}", (req, res) -> answer(req, res, "payment.byOrder", this::byOrder))
                .get("/api/inventory/{productId}", this::publicStock)
                .get("/api/users/addresses", (req, res) -> {
                    Principal p = authz.user(req);
                    Responses.ok(res, addresses.getOrDefault(p.userId(), List.of()));
                });
        server = WebServer.builder().host("127.0.0.1").port(0).routing(routing).build().start();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    void fault(String route, Fault fault) {
        faults.put(route, fault);
    }

    void heal() {
        faults.clear();
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

    // ---- the routes ------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Route {
        Object handle(ServerRequest req, JsonNode body);
    }

    /** 201 for a newly created order; everything else 200. */
    private record Created(Object data) {
    }

    private void answer(ServerRequest req, io.helidon.webserver.http.ServerResponse res, String name, Route route)
            throws IOException {
        authz.service(req);
        Fault fault = faults.get(name);
        if (fault == Fault.DOWN) {
            throw ApiException.unavailable(name + " is down");
        }
        JsonNode body = req.content().hasEntity() ? Json.mapper().readTree(req.content().as(byte[].class)) : null;
        Object data = route.handle(req, body);
        if (fault == Fault.SLOW_ONCE && faults.remove(name, Fault.SLOW_ONCE)) {
            sleep(slowMillis); // the work is done; the answer comes after the caller gave up
        }
        if (data instanceof Created created) {
            Responses.created(res, created.data());
        } else if (data == null) {
            Responses.noContent(res);
        } else {
            Responses.ok(res, data);
        }
    }

    /** Inventory's public stock route: no token, what is available now (reserved units are not). */
    private void publicStock(ServerRequest req, io.helidon.webserver.http.ServerResponse res) {
        if (faults.get("inventory.stock") == Fault.DOWN) {
            throw ApiException.unavailable("inventory is down");
        }
        UUID id = UUID.fromString(req.path().pathParameters().get("productId"));
        int available;
        synchronized (this) {
            Stock s = stock.get(id);
            if (s == null) {
                throw ApiException.notFound("Stock");
            }
            available = staleStockView.contains(id) ? s.available + 1_000 : s.available;
        }
        Responses.ok(res, Map.of("productId", id, "quantity", available, "isLowStock", available <= 5));
    }

    private Object cart(ServerRequest req, JsonNode body) {
        UUID userId = UUID.fromString(req.path().pathParameters().get("userId"));
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

    private Object clearCart(ServerRequest req, JsonNode body) {
        carts.remove(UUID.fromString(req.path().pathParameters().get("userId")));
        return null;
    }

    private Object catalog(ServerRequest req, JsonNode body) {
        List<Product> found = new ArrayList<>();
        for (String id : req.query().get("ids").split(",")) {
            Product p = products.get(UUID.fromString(id));
            if (p != null) {
                found.add(p);
            }
        }
        return found;
    }

    private synchronized Object createOrder(ServerRequest req, JsonNode body) {
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
        return new Created(order);
    }

    private synchronized Object orderStatus(ServerRequest req, JsonNode body) {
        UUID id = UUID.fromString(req.path().pathParameters().get("id"));
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

    private synchronized Object reserve(ServerRequest req, JsonNode body) {
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

    private synchronized Object release(ServerRequest req, JsonNode body) {
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

    private synchronized Object commit(ServerRequest req, JsonNode body) {
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

    private Object charge(ServerRequest req, JsonNode body) {
        chargeCalls.incrementAndGet();
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

    private synchronized Object refund(ServerRequest req, JsonNode body) {
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

    private Object byOrder(ServerRequest req, JsonNode body) {
        Payment p = payments.get(UUID.fromString(req.path().pathParameters().get("orderId")));
        if (p == null) {
            throw ApiException.notFound("Payment");
        }
        return p;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
