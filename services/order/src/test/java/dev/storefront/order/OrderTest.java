package dev.storefront.order;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.testing.OpenApiContract;
import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.common.testing.TestHttp;
import dev.storefront.common.testing.TestHttp.Reply;
import dev.storefront.common.web.Json;
import io.nats.client.api.MessageInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Orders against real PostgreSQL and NATS. */
class OrderTest {
    @RegisterExtension
    static final ServiceFixture<OrderModule> ORDER = ServiceFixture.of("order", OrderModule::create);
    private static final List<String> STATUSES = List.of("PENDING", "CONFIRMED", "SHIPPED", "DELIVERED", "CANCELLED");
    private static final TestHttp http = ORDER.http();
    private static final String service = ORDER.service("checkout");
    private static final String admin = ORDER.admin();


    private static String shopper(UUID id) {
        return ORDER.shopper(id);
    }

    private static Map<String, Object> address() {
        return Map.of("fullName", "Ann Smith", "line1", "1 High St", "city", "Leeds", "postalCode", "LS1 1AA", "country", "GB");
    }

    private static Map<String, Object> item(UUID productId, String name, String unitPrice, int quantity) {
        return Map.of("productId", productId, "name", name, "unitPrice", new java.math.BigDecimal(unitPrice), "quantity", quantity);
    }

    private static Map<String, Object> request(String key, UUID userId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("idempotencyKey", key);
        body.put("userId", userId);
        body.put("items", List.of(item(UUID.randomUUID(), "Mug", "0.10", 3), item(UUID.randomUUID(), "Pen", "0.20", 1)));
        body.put("currency", "USD");
        body.put("shippingAddress", address());
        return body;
    }

    private static JsonNode create(UUID userId) {
        Reply created = http.post("/internal/orders", service, request(UUID.randomUUID().toString(), userId));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.data();
    }

    private static Reply setStatus(String id, String status) {
        return http.put("/internal/orders/" + id + "/status", service, Map.of("status", status));
    }

    /** A new order walked to {@code status} along the legal path. */
    private static String orderIn(String status, UUID userId) {
        String id = create(userId).path("id").asText();
        List<String> path = switch (status) {
            case "PENDING" -> List.of();
            case "CONFIRMED" -> List.of("CONFIRMED");
            case "SHIPPED" -> List.of("CONFIRMED", "SHIPPED");
            case "DELIVERED" -> List.of("CONFIRMED", "SHIPPED", "DELIVERED");
            case "CANCELLED" -> List.of("CANCELLED");
            default -> throw new IllegalArgumentException(status);
        };
        for (String step : path) {
            assertThat(setStatus(id, step).status()).isEqualTo(200);
        }
        return id;
    }

    private static boolean legal(String from, String to) {
        return switch (from) {
            case "PENDING" -> to.equals("CONFIRMED") || to.equals("CANCELLED");
            case "CONFIRMED" -> to.equals("SHIPPED") || to.equals("CANCELLED");
            case "SHIPPED" -> to.equals("DELIVERED");
            default -> false;
        };
    }

    private static long rows(String sql) throws Exception {
        try (Connection c = ORDER.jdbc(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void everyStatusChangeIsLegalOrAConflict() throws Exception {
        UUID user = UUID.randomUUID();
        for (String from : STATUSES) {
            for (String to : STATUSES) {
                String id = orderIn(from, user);
                long events = rows("SELECT count(*) FROM order_status_history WHERE order_id = '" + id + "'");
                Reply reply = setStatus(id, to);
                String expected = legal(from, to) ? to : from;
                assertThat(reply.status()).as("%s -> %s: %s", from, to, reply).isEqualTo(legal(from, to) || from.equals(to) ? 200 : 409);
                if (reply.status() == 409) {
                    assertThat(reply.errorCode()).isEqualTo("CONFLICT");
                }
                JsonNode order = http.get("/internal/orders/" + id, service).data();
                assertThat(order.path("status").asText()).as("%s -> %s", from, to).isEqualTo(expected);
                assertThat(rows("SELECT count(*) FROM order_status_history WHERE order_id = '" + id + "'"))
                        .isEqualTo(legal(from, to) ? events + 1 : events);
            }
        }
        // the admin's actions follow the same machine
        Map<String, String> actions = Map.of("ship", "SHIPPED", "deliver", "DELIVERED", "cancel", "CANCELLED");
        for (String from : STATUSES) {
            for (var action : actions.entrySet()) {
                String id = orderIn(from, user);
                Reply reply = http.put("/api/orders/" + id + "/status", admin, Map.of("action", action.getKey(), "note", "by test"));
                boolean ok = legal(from, action.getValue()) || from.equals(action.getValue());
                assertThat(reply.status()).as("%s: %s %s", from, action.getKey(), reply).isEqualTo(ok ? 200 : 409);
                if (legal(from, action.getValue())) {
                    JsonNode history = reply.data().path("statusHistory");
                    assertThat(history.get(history.size() - 1).path("note").asText()).isEqualTo("by test");
                }
            }
        }
        Reply bogus = http.put("/api/orders/" + orderIn("CONFIRMED", user) + "/status", admin, Map.of("action", "refund"));
        assertThat(bogus.status()).isEqualTo(400);
        assertThat(bogus.firstErrorField()).isEqualTo("action");
        assertThat(setStatus(UUID.randomUUID().toString(), "CONFIRMED").status()).isEqualTo(404);
        assertThat(setStatus(orderIn("PENDING", user), "PAID").firstErrorField()).isEqualTo("status");
    }

    @Test
    void confirmStoresThePaymentAndCancellingAConfirmedOrderCarriesWhatRefundAndRestockNeed() throws Exception {
        UUID user = UUID.randomUUID();
        String id = create(user).path("id").asText();
        Reply confirmed = http.put("/internal/orders/" + id + "/status", service,
                Map.of("status", "CONFIRMED", "paymentTransactionId", "pay_123", "note", "paid"));
        assertThat(confirmed.data().path("paymentTransactionId").asText()).isEqualTo("pay_123");

        Reply cancelled = http.put("/api/orders/" + id + "/status", admin, Map.of("action", "cancel"));
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.data().path("statusHistory")).extracting(h -> h.path("status").asText())
                .containsExactly("PENDING", "CONFIRMED", "CANCELLED");

        JsonNode event = await().atMost(Duration.ofSeconds(10)).until(() -> lastEvent("storefront.order.cancelled"),
                e -> e != null && e.path("data").path("id").asText().equals(id));
        JsonNode data = event.path("data");
        assertThat(event.path("type").asText()).isEqualTo("storefront.order.cancelled");
        assertThat(data.path("previousStatus").asText()).isEqualTo("CONFIRMED");
        assertThat(data.path("orderId").asText()).isEqualTo(id);
        assertThat(data.path("userId").asText()).isEqualTo(user.toString());
        assertThat(data.path("total").decimalValue()).isEqualByComparingTo("0.50");
        assertThat(data.path("currency").asText()).isEqualTo("USD");
        assertThat(data.path("paymentTransactionId").asText()).isEqualTo("pay_123");
        assertThat(data.path("items")).hasSize(2);
        assertThat(data.path("items").get(0).path("quantity").asInt()).isEqualTo(3);
        assertThat(lastEvent("storefront.order.created")).isNotNull();
        assertThat(lastEvent("storefront.order.confirmed").path("data").path("status").asText()).isEqualTo("CONFIRMED");
    }

    private static JsonNode lastEvent(String type) {
        try {
            MessageInfo info = ORDER.context().bus().connection().jetStreamManagement()
                    .getLastMessage(ORDER.context().bus().stream(), ORDER.context().bus().subjectFor(type));
            return Json.mapper().readTree(new String(info.getData(), StandardCharsets.UTF_8));
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    void concurrentTransitionsCannotBothWin() throws Exception {
        String id = orderIn("CONFIRMED", UUID.randomUUID());
        List<Callable<Reply>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(() -> http.put("/api/orders/" + id + "/status", admin, Map.of("action", "ship")));
            calls.add(() -> http.put("/api/orders/" + id + "/status", admin, Map.of("action", "cancel")));
        }
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (Future<Reply> f : pool.invokeAll(calls)) {
                statuses.add(f.get().status());
            }
        }
        String finalStatus = http.get("/internal/orders/" + id, service).data().path("status").asText();
        assertThat(finalStatus).isIn("SHIPPED", "CANCELLED");
        // the loser's ten calls are conflicts; the winner's are one change and nine no-ops
        assertThat(statuses.stream().filter(s -> s == 409).count()).isEqualTo(10);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(10);
        assertThat(rows("SELECT count(*) FROM order_status_history WHERE order_id = '" + id + "'")).isEqualTo(3);
    }

    @Test
    void customersSeeAndChangeOnlyTheirOwnOrders() throws Exception {
        UUID alice = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        List<String> aliceOrders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            aliceOrders.add(create(alice).path("id").asText());
        }
        String bobOrder = create(bob).path("id").asText();

        Reply list = http.get("/api/orders?limit=2", shopper(alice));
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().path("pagination").path("total").asLong()).isEqualTo(3);
        assertThat(list.data()).extracting(o -> o.path("id").asText()).containsExactly(aliceOrders.get(2), aliceOrders.get(1));
        assertThat(http.get("/api/orders?limit=2&page=2", shopper(alice)).data())
                .extracting(o -> o.path("id").asText()).containsExactly(aliceOrders.get(0));
        assertThat(http.get("/api/orders", shopper(bob)).data()).extracting(o -> o.path("id").asText()).containsExactly(bobOrder);

        Reply own = http.get("/api/orders/" + aliceOrders.get(0), shopper(alice));
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.data().path("shippingAddress").path("city").asText()).isEqualTo("Leeds");
        assertThat(own.data().path("subtotal").decimalValue()).isEqualByComparingTo("0.50");
        assertThat(own.data().path("items").get(0).path("lineTotal").decimalValue()).isEqualByComparingTo("0.30");

        assertThat(http.get("/api/orders/" + aliceOrders.get(0), shopper(bob)).status()).isEqualTo(404);
        assertThat(http.get("/api/orders/" + UUID.randomUUID(), shopper(bob)).status()).isEqualTo(404);
        assertThat(http.get("/api/orders/admin", shopper(bob)).status()).isEqualTo(403);
        assertThat(http.put("/api/orders/" + aliceOrders.get(0) + "/status", shopper(alice), Map.of("action", "cancel")).status())
                .isEqualTo(403);
        assertThat(http.put("/api/orders/" + aliceOrders.get(0) + "/status", shopper(bob), Map.of("action", "cancel")).status())
                .isEqualTo(403);
        assertThat(http.get("/api/orders/" + aliceOrders.get(0), admin).status()).isEqualTo(200);
        assertThat(http.get("/api/orders", null).status()).isEqualTo(401);
        assertThat(http.get("/api/orders", service).status()).isEqualTo(401);

        // internal routes take service tokens only
        assertThat(http.get("/internal/orders/" + aliceOrders.get(0), shopper(alice)).status()).isEqualTo(403);
        assertThat(http.put("/internal/orders/" + aliceOrders.get(0) + "/status", shopper(alice), Map.of("status", "CANCELLED")).status())
                .isEqualTo(403);
        assertThat(http.post("/internal/orders", shopper(alice), request("k-" + UUID.randomUUID(), alice)).status()).isEqualTo(403);
        assertThat(http.post("/internal/orders", admin, request("k-" + UUID.randomUUID(), alice)).status()).isEqualTo(403);
        assertThat(http.get("/api/orders/" + aliceOrders.get(0), shopper(alice)).data().path("status").asText()).isEqualTo("PENDING");
        assertThat(rows("SELECT count(*) FROM orders WHERE user_id = '" + alice + "'")).isEqualTo(3);
    }

    @Test
    void adminListingFiltersByStatusAndDates() throws Exception {
        UUID user = UUID.randomUUID();
        String jan1 = orderIn("SHIPPED", user);
        String jan2 = orderIn("CANCELLED", user);
        String jan2late = orderIn("SHIPPED", user);
        String jan3 = orderIn("SHIPPED", user);
        try (Connection c = ORDER.jdbc(); var st = c.createStatement()) {
            st.execute("UPDATE orders SET created_at = '2020-01-01T10:00:00Z' WHERE id = '" + jan1 + "'");
            st.execute("UPDATE orders SET created_at = '2020-01-02T09:00:00Z' WHERE id = '" + jan2 + "'");
            st.execute("UPDATE orders SET created_at = '2020-01-02T23:30:00Z' WHERE id = '" + jan2late + "'");
            st.execute("UPDATE orders SET created_at = '2020-01-03T00:00:00Z' WHERE id = '" + jan3 + "'");
        }
        Reply range = http.get("/api/orders/admin?from=2020-01-01&to=2020-01-02", admin);
        assertThat(range.status()).isEqualTo(200);
        assertThat(range.data()).extracting(o -> o.path("id").asText()).containsExactly(jan2late, jan2, jan1);
        Reply shipped = http.get("/api/orders/admin?status=SHIPPED&from=2020-01-01T00%3A00%3A00Z&to=2020-01-03T00%3A00%3A01Z", admin);
        assertThat(shipped.data()).extracting(o -> o.path("id").asText()).containsExactly(jan3, jan2late, jan1);
        assertThat(shipped.body().path("pagination").path("total").asLong()).isEqualTo(3);
        Reply paged = http.get("/api/orders/admin?status=shipped&from=2020-01-01&to=2020-01-03&limit=1&page=2", admin);
        assertThat(paged.data()).extracting(o -> o.path("id").asText()).containsExactly(jan2late);
        assertThat(http.get("/api/orders/admin?status=CANCELLED&to=2020-01-05", admin).data())
                .extracting(o -> o.path("id").asText()).containsExactly(jan2);
        assertThat(http.get("/api/orders/admin", admin).body().path("pagination").path("total").asLong()).isGreaterThanOrEqualTo(4);

        assertThat(http.get("/api/orders/admin?status=LOST", admin).firstErrorField()).isEqualTo("status");
        assertThat(http.get("/api/orders/admin?from=yesterday", admin).firstErrorField()).isEqualTo("from");
        assertThat(http.get("/api/orders/admin?from=2020-01-03&to=2020-01-01", admin).firstErrorField()).isEqualTo("to");
        assertThat(http.get("/api/orders/admin?limit=0", admin).firstErrorField()).isEqualTo("limit");
    }

    @Test
    void internalCreateIsIdempotentByKey() throws Exception {
        UUID user = UUID.randomUUID();
        Map<String, Object> body = request("checkout-" + UUID.randomUUID(), user);
        Reply first = http.post("/internal/orders", service, body);
        Reply second = http.post("/internal/orders", service, body);
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.data().path("id").asText()).isEqualTo(first.data().path("id").asText());
        assertThat(first.data().path("status").asText()).isEqualTo("PENDING");
        assertThat(first.data().path("total").decimalValue()).isEqualByComparingTo("0.50");

        Map<String, Object> different = new LinkedHashMap<>(body);
        different.put("items", List.of(item(UUID.randomUUID(), "Other", "5.00", 1)));
        Reply reused = http.post("/internal/orders", service, different);
        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.firstErrorField()).isEqualTo("idempotencyKey");

        String key = "checkout-" + UUID.randomUUID();
        Map<String, Object> same = request(key, user);
        List<Callable<Reply>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> http.post("/internal/orders", service, same));
        }
        List<Reply> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (Future<Reply> f : pool.invokeAll(calls)) {
                replies.add(f.get());
            }
        }
        assertThat(replies).filteredOn(r -> r.status() == 201).hasSize(1);
        assertThat(replies).filteredOn(r -> r.status() == 200).hasSize(19);
        Set<String> ids = new HashSet<>();
        replies.forEach(r -> ids.add(r.data().path("id").asText()));
        assertThat(ids).hasSize(1);
        assertThat(rows("SELECT count(*) FROM orders WHERE idempotency_key = '" + key + "'")).isEqualTo(1);
        assertThat(rows("SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.idempotency_key = '" + key + "'"))
                .isEqualTo(2);
    }

    @Test
    void badCreateRequestsNameTheFieldAndWriteNothing() throws Exception {
        UUID user = UUID.randomUUID();
        Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
        cases.put("items[0].quantity", withItem(item(UUID.randomUUID(), "Mug", "1.00", 0)));
        cases.put("items[0].unitPrice", withItem(item(UUID.randomUUID(), "Mug", "1.001", 1)));
        cases.put("items[0].unitPrice ", withItem(item(UUID.randomUUID(), "Mug", "-1.00", 1)));
        Map<String, Object> extra = new LinkedHashMap<>(item(UUID.randomUUID(), "Mug", "1.00", 1));
        extra.put("lineTotal", 1);
        cases.put("items[0].lineTotal", withItem(extra));
        Map<String, Object> noAddress = request("k-" + UUID.randomUUID(), user);
        noAddress.remove("shippingAddress");
        cases.put("shippingAddress", noAddress);
        Map<String, Object> badCurrency = request("k-" + UUID.randomUUID(), user);
        badCurrency.put("currency", "usd");
        cases.put("currency", badCurrency);
        Map<String, Object> noItems = request("k-" + UUID.randomUUID(), user);
        noItems.put("items", List.of());
        cases.put("items", noItems);
        UUID same = UUID.randomUUID();
        cases.put("items[1].productId", withItems(List.of(item(same, "A", "1.00", 1), item(same, "A", "1.00", 1))));
        cases.put("items[0].quantity  ", withItem(Map.of("productId", UUID.randomUUID(), "name", "Mug", "unitPrice", 1, "quantity", 1.5)));
        for (var c : cases.entrySet()) {
            Reply reply = http.post("/internal/orders", service, c.getValue());
            assertThat(reply.status()).as(c.getKey() + " " + reply).isEqualTo(400);
            assertThat(reply.body().path("error").path("details")).as(c.getKey() + " " + reply)
                    .extracting(d -> d.path("field").asText()).contains(c.getKey().trim());
        }
        assertThat(rows("SELECT count(*) FROM orders WHERE user_id = '" + user + "'")).isZero();
    }

    private static Map<String, Object> withItem(Map<String, Object> item) {
        return withItems(List.of(item));
    }

    private static Map<String, Object> withItems(List<Map<String, Object>> items) {
        Map<String, Object> body = request("k-" + UUID.randomUUID(), UUID.fromString("00000000-0000-0000-0000-000000000000"));
        body.put("items", items);
        return body;
    }

    @Test
    void openApiDocumentMatchesTheRoutes() {
        OpenApiContract.assertMatches(ORDER.module());
    }
}
