package dev.storefront.search;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.testing.TestHttp;
import dev.storefront.common.web.Json;
import io.nats.client.Dispatcher;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The in-stock filter and facet against the real inventory: the full load reads inventory's availability, its
 * availability_changed events keep every replica current, and a redelivered or late older event changes nothing.
 * Also the seed's /ai/search and /ai/index aliases.
 * The full load is checked first, before the other tests change stock (one of them on purpose behind inventory's back).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InStockTest {
    private static CatalogAndSearch shop;
    private static TestHttp search;
    private static final List<CloudEvent> HEARD = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        shop = new CatalogAndSearch().startNeighbours();
        // inventory has given every demo product its stock (and announced it) before the replica starts: the replica's
        // consumer begins at the newest event, so what it knows of those came from its full load alone
        long products = shop.catalog.count("SELECT count(*) FROM products");
        await().atMost(Duration.ofMinutes(2)).until(() -> shop.inventory.count("SELECT count(*) FROM stock") == products
                && shop.inventory.count("SELECT count(*) FROM outbox") == 0);
        Dispatcher d = shop.inventory.context().bus().connection().createDispatcher(msg ->
                HEARD.add(Json.read(new String(msg.getData(), StandardCharsets.UTF_8), CloudEvent.class)));
        d.subscribe(subject());
        shop.replica(shop.search);
        search = shop.search.http();
    }

    @AfterAll
    static void stop() {
        shop.close();
    }

    private static String subject() {
        return shop.inventory.context().bus().subjectFor(AvailabilityChangedHandler.TYPE);
    }

    private static long found(String word, String inStock) {
        TestHttp.Reply reply = search.get("/api/search?mode=keyword&q=" + word + (inStock == null ? "" : "&inStock=" + inStock), null);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().path("pagination").path("total").asLong();
    }

    private static long inStockFacet(String query) {
        return search.get("/api/search?" + query, null).data().path("facets").path("inStock").asLong(-1);
    }

    /** A new product in catalog, indexed by search, with inventory's stock row (demo stock, at least one unit). */
    private static UUID product(String word) {
        TestHttp.Reply created = shop.catalog.http().post("/api/products", shop.catalog.admin(), Map.of("name", word + " Kettle", "price", 21.5));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        UUID id = UUID.fromString(created.data().path("id").asText());
        await().atMost(Duration.ofSeconds(30)).until(() -> shop.inventory.http().get("/api/inventory/" + id, null).status() == 200);
        if (available(id) == 0) {
            assertThat(shop.inventory.http().post("/api/inventory/add", shop.inventory.admin(), Map.of("productId", id, "quantity", 3)).status())
                    .isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> found(word, "true") == 1 && found(word, "false") == 0);
        return id;
    }

    private static int available(UUID id) {
        return shop.inventory.http().get("/api/inventory/" + id, shop.inventory.admin()).data().path("available").asInt();
    }

    private static UUID sellOut(UUID id) {
        UUID order = UUID.randomUUID();
        TestHttp.Reply reserved = shop.inventory.http().post("/internal/inventory/reserve", shop.inventory.service("checkout"),
                Map.of("orderId", order, "items", List.of(Map.of("productId", id, "quantity", available(id)))));
        assertThat(reserved.status()).as(reserved.toString()).isEqualTo(200);
        return order;
    }

    private static void release(UUID order) {
        assertThat(shop.inventory.http().post("/internal/inventory/release", shop.inventory.service("checkout"), Map.of("orderId", order))
                .status()).isEqualTo(200);
    }

    private static List<CloudEvent> heard(UUID id) {
        return HEARD.stream().filter(e -> e.data().path("productId").asText().equals(id.toString())).toList();
    }

    private static void publish(byte[] envelope) throws Exception {
        shop.inventory.context().bus().jetStream().publish(NatsMessage.builder().subject(subject()).data(envelope).build());
    }

    private static String word() {
        // a word of letters only, that no demo product has and the analyzer keeps whole
        StringBuilder w = new StringBuilder("Zq");
        UUID.randomUUID().toString().chars().filter(Character::isDigit).limit(8).forEach(c -> w.append((char) ('a' + c - '0')));
        return w.toString();
    }

    @Test
    @Order(1)
    void theFullLoadReadsEveryProductsStockFromInventory() {
        long inStock = shop.inventory.count("SELECT count(*) FROM stock WHERE in_stock");
        assertThat(inStock).as("demo stock: most products have some").isPositive();
        TestHttp.Reply all = search.get("/api/search?limit=1", null);
        assertThat(all.data().path("facets").path("inStock").asLong()).isEqualTo(inStock);
        assertThat(search.get("/api/search?limit=1&inStock=true", null).json().path("pagination").path("total").asLong()).isEqualTo(inStock);
        assertThat(search.get("/api/search?limit=1&inStock=false", null).json().path("pagination").path("total").asLong())
                .isEqualTo(all.json().path("pagination").path("total").asLong() - inStock);
    }

    @Test
    void theFilterAndFacetFollowInventorysEventsOncePerChange() {
        String word = word();
        UUID id = product(word);
        long version = shop.inventory.count("SELECT availability_version FROM stock WHERE product_id = ?::uuid", id);
        assertThat(inStockFacet("mode=keyword&q=" + word)).isEqualTo(1);

        UUID order = sellOut(id);
        await().atMost(Duration.ofSeconds(30)).until(() -> found(word, "true") == 0 && found(word, "false") == 1);
        assertThat(inStockFacet("mode=keyword&q=" + word)).isZero();
        assertThat(found(word, null)).as("without the filter it is still found").isEqualTo(1);

        release(order);
        await().atMost(Duration.ofSeconds(30)).until(() -> found(word, "true") == 1);
        assertThat(inStockFacet("mode=keyword&q=" + word)).isEqualTo(1);
        // published once per change: sold out, back
        await().atMost(Duration.ofSeconds(10)).during(Duration.ofSeconds(1)).until(() -> heard(id).stream()
                .filter(e -> e.data().path("version").asLong() > version).count() == 2);
    }

    @Test
    void aRedeliveredOrLateOlderEventDoesNotFlipTheStateBack() throws Exception {
        String word = word();
        UUID id = product(word);
        release(sellOut(id)); // out (v n+1), back in (v n+2)
        await().atMost(Duration.ofSeconds(30)).until(() -> heard(id).stream().anyMatch(e -> !e.data().path("inStock").asBoolean())
                && found(word, "true") == 1);
        CloudEvent soldOut = heard(id).stream().filter(e -> !e.data().path("inStock").asBoolean()).reduce((a, b) -> b).orElseThrow();

        // the sold-out event again, as it was (a redelivery), and a copy of it with a new id (a late duplicate)
        publish(Json.write(soldOut).getBytes(StandardCharsets.UTF_8));
        publish(Json.write(new CloudEvent("1.0", UUID.randomUUID(), soldOut.source(), soldOut.type(), soldOut.time(),
                soldOut.datacontenttype(), soldOut.data())).getBytes(StandardCharsets.UTF_8));
        // then a marker on another product, far ahead: once it shows, the stale ones before it were handled
        String markerWord = word();
        UUID marker = product(markerWord);
        publish(Json.write(CloudEvent.of("inventory", AvailabilityChangedHandler.TYPE,
                Map.of("productId", marker, "inStock", false, "version", 1_000_000))).getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(30)).until(() -> found(markerWord, "false") == 1);

        assertThat(found(word, "true")).as("still in stock").isEqualTo(1);
        assertThat(found(word, "false")).isZero();
    }

    @Test
    void badInStockValuesAreRefusedByName() {
        assertThat(search.get("/api/search?inStock=yes", null).firstErrorField()).isEqualTo("inStock");
        assertThat(search.get("/api/search?inStock=1", null).firstErrorField()).isEqualTo("inStock");
        assertThat(search.get("/ai/search?query=kettle&inStock=maybe", null).firstErrorField()).isEqualTo("inStock");
    }

    @Test
    void theSeedsAiRoutesAreAliases() {
        JsonNode api = search.get("/api/search?q=espresso&mode=keyword&limit=5", null).json();
        TestHttp.Reply ai = search.get("/ai/search?query=espresso&mode=keyword&limit=5", null);
        assertThat(ai.status()).as(ai.toString()).isEqualTo(200);
        assertThat(ai.data().path("items").findValuesAsText("id")).isNotEmpty().isEqualTo(api.path("data").path("items").findValuesAsText("id"));
        assertThat(ai.json().path("pagination")).isEqualTo(api.path("pagination"));

        assertThat(search.post("/ai/index", null, Map.of()).status()).isEqualTo(401);
        assertThat(search.post("/ai/index", shop.search.shopper(), Map.of()).status()).isEqualTo(403);
        TestHttp.Reply started = search.post("/ai/index", shop.search.admin(), Map.of());
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(2)).until(() -> shop.search.module().rebuild().progress().state().equals("done"));
        assertThat(search.get("/ai/nothing", null).status()).isEqualTo(404);
    }
}
