package dev.storefront.inventory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.testing.OpenApiContract;
import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.common.testing.TestHttp;
import dev.storefront.common.web.Json;
import io.nats.client.Dispatcher;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Inventory against real PostgreSQL and NATS: races, idempotency, expiry, events. */
class InventoryTest {
    @RegisterExtension
    static final ServiceFixture<InventoryModule> INVENTORY = ServiceFixture.of("inventory", InventoryModule::create)
            .set("storefront.inventory.expiry-interval-ms", "200");
    private static final List<CloudEvent> LOW_STOCK = new CopyOnWriteArrayList<>();
    private static final List<CloudEvent> AVAILABILITY = new CopyOnWriteArrayList<>();
    private static final TestHttp http = INVENTORY.http();
    private static final String service = INVENTORY.service("checkout");
    private static final String admin = INVENTORY.admin();

    @BeforeAll
    static void start() {
        Dispatcher d = INVENTORY.module().context().bus().connection().createDispatcher(msg ->
                LOW_STOCK.add(Json.read(new String(msg.getData(), StandardCharsets.UTF_8), CloudEvent.class)));
        d.subscribe(INVENTORY.module().context().bus().subjectFor("storefront.inventory.low_stock"));
        Dispatcher a = INVENTORY.module().context().bus().connection().createDispatcher(msg ->
                AVAILABILITY.add(Json.read(new String(msg.getData(), StandardCharsets.UTF_8), CloudEvent.class)));
        a.subscribe(INVENTORY.module().context().bus().subjectFor(InventoryRepository.AVAILABILITY_CHANGED));
    }

    private static UUID stocked(int quantity, int threshold) {
        UUID id = UUID.randomUUID();
        TestHttp.Reply reply = http.post("/api/inventory/add", admin, Map.of("productId", id, "quantity", quantity, "lowStockThreshold", threshold));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return id;
    }

    private static JsonNode stock(UUID productId) {
        TestHttp.Reply reply = http.get("/api/inventory/" + productId, admin);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.data();
    }

    private static TestHttp.Reply reserve(UUID orderId, Map<UUID, Integer> lines, Integer ttl) {
        List<Map<String, Object>> items = new ArrayList<>();
        lines.forEach((p, q) -> items.add(Map.of("productId", p, "quantity", q)));
        Map<String, Object> body = new HashMap<>(Map.of("orderId", orderId, "items", items));
        if (ttl != null) {
            body.put("ttlSeconds", ttl);
        }
        return http.post("/internal/inventory/reserve", service, body);
    }

    private static TestHttp.Reply call(String action, UUID orderId) {
        return http.post("/internal/inventory/" + action, service, Map.of("orderId", orderId));
    }

    @Test
    void twoHundredConcurrentReservationsOfFiftyUnitsSellExactlyFifty() throws Exception {
        UUID product = stocked(50, 0);
        List<Future<TestHttp.Reply>> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                replies.add(pool.submit(() -> reserve(UUID.randomUUID(), Map.of(product, 1), null)));
            }
        }
        int ok = 0;
        int out = 0;
        for (Future<TestHttp.Reply> f : replies) {
            TestHttp.Reply r = f.get();
            if (r.status() == 200) {
                ok++;
            } else {
                assertThat(r.errorCode()).as(r.toString()).isEqualTo("OUT_OF_STOCK");
                out++;
            }
        }
        assertThat(ok).isEqualTo(50);
        assertThat(out).isEqualTo(150);
        JsonNode s = stock(product);
        assertThat(s.path("available").asInt()).isZero();
        assertThat(s.path("reserved").asInt()).isEqualTo(50);
    }

    @Test
    void mixedMultiLineReservationsInRandomOrderNeitherDeadlockNorOversell() throws Exception {
        List<UUID> products = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            products.add(stocked(30, 0));
        }
        Map<UUID, Map<UUID, Integer>> asked = new ConcurrentHashMap<>();
        List<Future<TestHttp.Reply>> replies = new ArrayList<>();
        List<UUID> orders = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 120; i++) {
                List<UUID> shuffled = new ArrayList<>(products);
                Collections.shuffle(shuffled);
                Map<UUID, Integer> lines = new java.util.LinkedHashMap<>();
                int n = 1 + ThreadLocalRandom.current().nextInt(4);
                for (int k = 0; k < n; k++) {
                    lines.put(shuffled.get(k), 1 + ThreadLocalRandom.current().nextInt(3));
                }
                UUID order = UUID.randomUUID();
                orders.add(order);
                asked.put(order, lines);
                replies.add(pool.submit(() -> reserve(order, lines, null)));
            }
        }
        Map<UUID, Integer> reserved = new HashMap<>();
        for (int i = 0; i < replies.size(); i++) {
            TestHttp.Reply r = replies.get(i).get();
            assertThat(r.status()).as(r.toString()).isIn(200, 409);
            if (r.status() == 200) {
                asked.get(orders.get(i)).forEach((p, q) -> reserved.merge(p, q, Integer::sum));
            }
        }
        for (UUID p : products) {
            JsonNode s = stock(p);
            assertThat(s.path("reserved").asInt()).isEqualTo(reserved.getOrDefault(p, 0));
            assertThat(s.path("available").asInt() + s.path("reserved").asInt()).isEqualTo(30);
            assertThat(s.path("available").asInt()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void aRetryWithTheSameOrderIdAnswersTheSameAndReservesOnce() {
        UUID product = stocked(10, 0);
        UUID order = UUID.randomUUID();
        TestHttp.Reply first = reserve(order, Map.of(product, 3), null);
        TestHttp.Reply again = reserve(order, Map.of(product, 3), null);
        assertThat(first.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.data()).isEqualTo(first.data());
        assertThat(stock(product).path("reserved").asInt()).isEqualTo(3);
        assertThat(reserve(order, Map.of(product, 4), null).errorCode()).isEqualTo("CONFLICT");
    }

    @Test
    void aShortLineRefusesTheWholeOrderNamingTheLine() {
        UUID plenty = stocked(10, 0);
        UUID scarce = stocked(1, 0);
        UUID order = UUID.randomUUID();
        Map<UUID, Integer> lines = new java.util.LinkedHashMap<>();
        lines.put(plenty, 2);
        lines.put(scarce, 2);
        TestHttp.Reply reply = reserve(order, lines, null);
        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.errorCode()).isEqualTo("OUT_OF_STOCK");
        assertThat(reply.firstErrorField()).isEqualTo("items[1].productId");
        JsonNode shortage = reply.data().path("shortages").get(0);
        assertThat(shortage.path("productId").asText()).isEqualTo(scarce.toString());
        assertThat(shortage.path("available").asInt()).isEqualTo(1);
        assertThat(stock(plenty).path("reserved").asInt()).isZero();
        assertThat(reserve(order, lines, null).body().path("data")).isEqualTo(reply.body().path("data")); // same answer
        assertThat(reserve(UUID.randomUUID(), Map.of(UUID.randomUUID(), 1), null).errorCode()).isEqualTo("OUT_OF_STOCK");

        TestHttp.Reply invalid = http.post("/internal/inventory/reserve", service,
                Map.of("orderId", UUID.randomUUID(), "items", List.of(Map.of("productId", plenty, "quantity", 0))));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.firstErrorField()).isEqualTo("items[0].quantity");
    }

    @Test
    void commitSellsReleaseAndRestockGiveBackAndAllAreIdempotent() {
        UUID product = stocked(10, 0);
        UUID sold = UUID.randomUUID();
        reserve(sold, Map.of(product, 4), null);
        assertThat(call("commit", sold).data().path("state").asText()).isEqualTo("COMMITTED");
        assertThat(call("commit", sold).status()).isEqualTo(200);
        JsonNode s = stock(product);
        assertThat(s.path("available").asInt()).isEqualTo(6);
        assertThat(s.path("reserved").asInt()).isZero();
        assertThat(s.path("sold").asInt()).isEqualTo(4);
        assertThat(call("release", sold).errorCode()).isEqualTo("CONFLICT");
        assertThat(call("restock", sold).data().path("state").asText()).isEqualTo("RESTOCKED");
        assertThat(call("restock", sold).status()).isEqualTo(200);
        assertThat(stock(product).path("available").asInt()).isEqualTo(10);
        assertThat(stock(product).path("sold").asInt()).isZero();

        UUID released = UUID.randomUUID();
        reserve(released, Map.of(product, 5), null);
        assertThat(call("release", released).data().path("state").asText()).isEqualTo("RELEASED");
        assertThat(call("release", released).data().path("state").asText()).isEqualTo("RELEASED");
        assertThat(stock(product).path("available").asInt()).isEqualTo(10);
        assertThat(call("release", UUID.randomUUID()).data().path("state").asText()).isEqualTo("NONE");
        assertThat(call("commit", UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void expiredReservationsComeBackByThemselves() {
        UUID product = stocked(5, 0);
        UUID order = UUID.randomUUID();
        assertThat(reserve(order, Map.of(product, 5), 1).status()).isEqualTo(200);
        assertThat(stock(product).path("available").asInt()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> stock(product).path("available").asInt() == 5);
        assertThat(stock(product).path("reserved").asInt()).isZero();
        // paid after all: commit takes the units again while they are there
        assertThat(call("commit", order).data().path("state").asText()).isEqualTo("COMMITTED");
        assertThat(stock(product).path("sold").asInt()).isEqualTo(5);
    }

    @Test
    void lowStockIsAnnouncedOncePerCrossing() {
        UUID product = stocked(10, 5);
        reserve(UUID.randomUUID(), Map.of(product, 3), null); // 7 left: above
        UUID dip = UUID.randomUUID();
        reserve(dip, Map.of(product, 3), null);               // 4: crosses
        reserve(UUID.randomUUID(), Map.of(product, 1), null); // 3: still low, no second event
        call("release", dip);                                 // 6: back above, re-armed
        reserve(UUID.randomUUID(), Map.of(product, 2), null); // 4: crosses again
        await().atMost(Duration.ofSeconds(10)).until(() -> events(product).size() == 2);
        assertThat(events(product).get(0).data().path("available").asInt()).isEqualTo(4);
        assertThat(events(product).get(0).data().path("lowStockThreshold").asInt()).isEqualTo(5);

        TestHttp.Reply low = http.get("/api/inventory/status/low-stock?limit=100", admin);
        assertThat(low.status()).isEqualTo(200);
        assertThat(low.data().findValuesAsText("productId")).contains(product.toString());
        assertThat(http.get("/api/inventory/status/low-stock", INVENTORY.shopper()).status())
                .isEqualTo(403);
    }

    private static List<CloudEvent> events(UUID product) {
        return LOW_STOCK.stream().filter(e -> e.data().path("productId").asText().equals(product.toString())).toList();
    }

    private static List<CloudEvent> availability(UUID product) {
        return AVAILABILITY.stream().filter(e -> e.data().path("productId").asText().equals(product.toString())).toList();
    }

    /** "inStock@version" of each availability event of the product, in the order they were heard. */
    private static List<String> flips(UUID product) {
        return availability(product).stream().map(e -> e.data().path("inStock").asBoolean() + "@" + e.data().path("version").asLong()).toList();
    }

    @Test
    void availabilityIsAnnouncedOncePerChangeWithAGrowingVersion() {
        UUID product = stocked(2, 0);                          // in stock: v1
        UUID first = UUID.randomUUID();
        reserve(first, Map.of(product, 1), null);              // 1 left: no change
        UUID last = UUID.randomUUID();
        reserve(last, Map.of(product, 1), null);               // sold out: v2
        http.post("/internal/inventory/reserve", service, Map.of("orderId", UUID.randomUUID(),
                "items", List.of(Map.of("productId", product, "quantity", 1)))); // refused: no change
        call("release", last);                                 // back: v3
        call("release", last);                                 // the same release again: no change
        http.post("/api/inventory/add", admin, Map.of("productId", product, "quantity", 5)); // more of what is in stock: no change
        call("commit", first);                                 // reserved -> sold: available unchanged, no change
        // exactly these three, each once (a relay retry would show here twice: JetStream drops it, core subscribers would not)
        await().atMost(Duration.ofSeconds(10)).during(Duration.ofSeconds(2)).until(() -> flips(product).size() == 3);
        assertThat(flips(product)).containsExactly("true@1", "false@2", "true@3");
        assertThat(availability(product).getFirst().data().has("available")).as("no count: it would be stale at the next sale").isFalse();

        // the full-load route answers the same state at the same version, in keyset pages
        TestHttp.Reply page = http.get("/internal/inventory/availability?limit=1000", service);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<String> ids = page.data().findValuesAsText("productId");
        assertThat(ids).isSorted();
        JsonNode row = null;
        for (JsonNode r : page.data()) {
            if (r.path("productId").asText().equals(product.toString())) {
                row = r;
            }
        }
        assertThat(row).as("%s in %s", product, page).isNotNull();
        assertThat(row.path("inStock").asBoolean()).isTrue();
        assertThat(row.path("version").asLong()).isEqualTo(3);
        if (ids.size() >= 2) {
            TestHttp.Reply next = http.get("/internal/inventory/availability?limit=1&after=" + ids.getFirst(), service);
            assertThat(next.data().findValuesAsText("productId")).containsExactly(ids.get(1));
        }
        assertThat(http.get("/internal/inventory/availability?limit=1001", service).firstErrorField()).isEqualTo("limit");
        assertThat(http.get("/internal/inventory/availability?after=..%2Fetc", service).firstErrorField()).isEqualTo("after");
        assertThat(http.get("/internal/inventory/availability", admin).status()).isEqualTo(403);
        assertThat(http.get("/internal/inventory/availability", null).status()).isEqualTo(401);
    }

    @Test
    void productEventsAnnounceAvailabilityOnlyWhenItChanges() throws Exception {
        UUID empty = UUID.randomUUID();   // created with no stock (outside demo runs): out of stock as before, nothing to say
        publish("storefront.product.created", Map.of("id", empty, "name", "Empty", "price", 1));
        UUID stocked = stocked(4, 0);     // true@1
        publish("storefront.product.deleted", Map.of("id", stocked));   // retired: false@2
        publish("storefront.product.deleted", Map.of("id", stocked));   // again: nothing
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/inventory/" + empty, null).status() == 200
                && flips(stocked).size() == 2);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> flips(stocked).size() == 2 && flips(empty).isEmpty());
        assertThat(flips(stocked)).containsExactly("true@1", "false@2");
    }

    @Test
    void productEventsCreateAndRetireStockRows() throws Exception {
        UUID product = UUID.randomUUID();
        publish("storefront.product.created", Map.of("id", product, "name", "New", "price", 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/inventory/" + product, null).status() == 200);
        JsonNode view = http.get("/api/inventory/" + product, null).data();
        assertThat(view.path("quantity").asInt()).isZero();
        assertThat(view.path("inStock").asBoolean()).isFalse();
        assertThat(view.has("reserved")).isFalse(); // public view

        http.post("/api/inventory/add", admin, Map.of("productId", product, "quantity", 3));
        publish("storefront.product.deleted", Map.of("id", product));
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/inventory/" + product, null).status() == 404);
        assertThat(reserve(UUID.randomUUID(), Map.of(product, 1), null).errorCode()).isEqualTo("OUT_OF_STOCK");
        assertThat(http.post("/api/inventory/add", admin, Map.of("productId", product, "quantity", 3)).status()).isEqualTo(409);
    }

    private static void publish(String type, Object data) throws Exception {
        CloudEvent event = CloudEvent.of("catalog", type, data);
        INVENTORY.module().context().bus().jetStream().publish(NatsMessage.builder().subject(INVENTORY.module().context().bus().subjectFor(type))
                .data(Json.write(event).getBytes(StandardCharsets.UTF_8)).build());
    }

    @Test
    void routesCheckWhoCalls() {
        String customer = INVENTORY.shopper();
        assertThat(http.post("/internal/inventory/reserve", admin, Map.of("orderId", UUID.randomUUID(), "items", List.of())).status())
                .isEqualTo(403);
        assertThat(http.post("/internal/inventory/release", null, Map.of("orderId", UUID.randomUUID())).status()).isEqualTo(401);
        assertThat(http.post("/api/inventory/add", customer, Map.of("productId", UUID.randomUUID(), "quantity", 1)).status()).isEqualTo(403);
        TestHttp.Reply bad = http.post("/api/inventory/add", admin, Map.of("productId", UUID.randomUUID(), "quantity", -1));
        assertThat(bad.firstErrorField()).isEqualTo("quantity");
        assertThat(http.get("/api/inventory/status/low-stock?page=0", admin).firstErrorField()).isEqualTo("page");
        assertThat(http.get("/api/inventory/" + UUID.randomUUID(), null).status()).isEqualTo(404);
    }

    @Test
    void openApiDocumentMatchesTheRoutes() {
        OpenApiContract.assertMatches(INVENTORY.module());
    }
}
