package dev.storefront.catalog;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.security.Role;
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

/** The catalog's routes against real PostgreSQL and NATS. */
class CatalogTest {
    @RegisterExtension
    static final ServiceFixture<CatalogModule> CATALOG = ServiceFixture.of("catalog", CatalogModule::create);
    private static final UUID ADMIN = UUID.randomUUID();
    private static final UUID VENDOR = UUID.randomUUID();
    private static final UUID OTHER_VENDOR = UUID.randomUUID();
    private static final UUID CUSTOMER = UUID.randomUUID();
    private static final List<CloudEvent> EVENTS = new CopyOnWriteArrayList<>();
    private static final TestHttp http = CATALOG.http();
    private static Dispatcher listener;

    @BeforeAll
    static void start() {
        listener = CATALOG.module().context().bus().connection().createDispatcher(msg ->
                EVENTS.add(Json.read(new String(msg.getData(), StandardCharsets.UTF_8), CloudEvent.class)));
        listener.subscribe(CATALOG.module().context().bus().subjectFor("storefront.product") + ".*");
    }

    private static String token(UUID user, Role role) {
        return CATALOG.token(user, role);
    }

    private static String admin() {
        return token(ADMIN, Role.ADMIN);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonNode category(String name, String slug, JsonNode parent) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "slug", slug));
        if (parent != null) {
            body.put("parentId", parent.path("id").asText());
        }
        TestHttp.Reply reply = http.post("/api/categories", admin(), body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.data();
    }

    private static JsonNode product(String token, String name, String description, String price, JsonNode category) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "description", description,
                "price", new java.math.BigDecimal(price), "images", List.of("/images/x.svg"), "attributes", Map.of("colour", "red")));
        if (category != null) {
            body.put("categoryId", category.path("id").asText());
        }
        TestHttp.Reply reply = http.post("/api/products", token, body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.data();
    }

    private static List<String> names(TestHttp.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        reply.data().forEach(p -> names.add(p.path("name").asText()));
        return names;
    }

    @Test
    void filtersBySubCategoryTreeAndPriceSortsAndPaginates() {
        String s = suffix();
        JsonNode top = category("Top " + s, "top-" + s, null);
        JsonNode sub = category("Sub " + s, "sub-" + s, top);
        JsonNode other = category("Other " + s, "other-" + s, null);
        product(admin(), "Alpha " + s, "a", "10.00", top);
        product(admin(), "Bravo " + s, "b", "25.50", sub);
        product(admin(), "Charlie " + s, "c", "5.25", sub);
        product(admin(), "Delta " + s, "d", "99.99", other);

        assertThat(names(http.get("/api/products?category=top-" + s + "&sort=price_asc", null)))
                .containsExactly("Charlie " + s, "Alpha " + s, "Bravo " + s);
        assertThat(names(http.get("/api/products?category=top-" + s + "&sort=price_desc", null)))
                .containsExactly("Bravo " + s, "Alpha " + s, "Charlie " + s);
        assertThat(names(http.get("/api/products?category=sub-" + s + "&sort=newest", null)))
                .containsExactly("Charlie " + s, "Bravo " + s);
        assertThat(names(http.get("/api/products?category=top-" + s + "&minPrice=6&maxPrice=25.50&sort=price_asc", null)))
                .containsExactly("Alpha " + s, "Bravo " + s);

        TestHttp.Reply page2 = http.get("/api/products?category=top-" + s + "&sort=price_asc&page=2&limit=2", null);
        assertThat(names(page2)).containsExactly("Bravo " + s);
        assertThat(page2.body().path("pagination").path("total").asLong()).isEqualTo(3);
        assertThat(page2.body().path("pagination").path("page").asInt()).isEqualTo(2);
        TestHttp.Reply beyond = http.get("/api/products?category=top-" + s + "&page=50&limit=100", null);
        assertThat(names(beyond)).isEmpty();
        assertThat(beyond.body().path("pagination").path("total").asLong()).isEqualTo(3);
        assertThat(names(http.get("/api/products?category=nothing-" + s, null))).isEmpty();

        JsonNode bravo = http.get("/api/products?category=sub-" + s + "&sort=price_desc&limit=1", null).data().get(0);
        assertThat(bravo.path("price").decimalValue()).isEqualByComparingTo("25.50");
        assertThat(bravo.path("categorySlug").asText()).isEqualTo("sub-" + s);
        assertThat(bravo.path("attributes").path("colour").asText()).isEqualTo("red");
    }

    @Test
    void fullTextSearchRanksNameMatchesFirstAndToleratesTypos() {
        String s = suffix();
        JsonNode cat = category("Search " + s, "search-" + s, null);
        product(admin(), "Garden Hose " + s, "Goes well with running shoes and trail maps", "20.00", cat);
        product(admin(), "Trail Running Shoes " + s, "Light shoes for running on trails", "120.00", cat);
        product(admin(), "Wireless Headphones " + s, "Quiet music", "150.00", cat);

        assertThat(names(http.get("/api/products?category=search-" + s + "&q=running%20shoes", null)))
                .containsExactly("Trail Running Shoes " + s, "Garden Hose " + s);
        assertThat(names(http.get("/api/products?category=search-" + s + "&q=running&sort=price_asc", null)))
                .containsExactly("Garden Hose " + s, "Trail Running Shoes " + s);
        assertThat(CATALOG.module().repository().typoTolerant()).isTrue();
        assertThat(names(http.get("/api/products?category=search-" + s + "&q=hedphones", null)))
                .containsExactly("Wireless Headphones " + s);
        // a typo under a price filter is still forgiven; a known word the filter rules out stays empty
        assertThat(names(http.get("/api/products?category=search-" + s + "&q=hedphones&minPrice=100", null)))
                .containsExactly("Wireless Headphones " + s);
        assertThat(names(http.get("/api/products?category=search-" + s + "&q=hose&minPrice=100", null))).isEmpty();
        // page two of a ranked search still tells how many matched
        TestHttp.Reply second = http.get("/api/products?category=search-" + s + "&q=running&limit=1&page=2", null);
        assertThat(names(second)).containsExactly("Garden Hose " + s);
        assertThat(second.body().path("pagination").path("total").asLong()).isEqualTo(2);
    }

    @Test
    void vendorsManageOnlyTheirOwnProductsAndCustomersNone() {
        String vendor = token(VENDOR, Role.VENDOR);
        String otherVendor = token(OTHER_VENDOR, Role.VENDOR);
        JsonNode mine = product(vendor, "Vendor Lamp", "A lamp", "30.00", null);
        String path = "/api/products/" + mine.path("id").asText();
        assertThat(mine.path("vendorId").asText()).isEqualTo(VENDOR.toString());

        assertThat(http.put(path, otherVendor, Map.of("price", 1)).status()).isEqualTo(403);
        assertThat(http.delete(path, otherVendor).status()).isEqualTo(403);
        assertThat(http.put(path, token(CUSTOMER, Role.CUSTOMER), Map.of("price", 1)).status()).isEqualTo(403);
        assertThat(http.post("/api/products", token(CUSTOMER, Role.CUSTOMER), Map.of("name", "x", "price", 1)).status()).isEqualTo(403);
        assertThat(http.post("/api/products", null, Map.of("name", "x", "price", 1)).status()).isEqualTo(401);
        assertThat(http.post("/api/products", vendor, Map.of("name", "x", "price", 1, "vendorId", OTHER_VENDOR.toString())).status())
                .isEqualTo(403);
        assertThat(http.get(path, null).data().path("price").decimalValue()).isEqualByComparingTo("30.00");

        TestHttp.Reply own = http.put(path, vendor, Map.of("price", 35.5, "name", "Vendor Lamp Deluxe"));
        assertThat(own.status()).as(own.toString()).isEqualTo(200);
        assertThat(own.data().path("price").decimalValue()).isEqualByComparingTo("35.50");
        assertThat(own.data().path("description").asText()).isEqualTo("A lamp");
        assertThat(http.put(path, admin(), Map.of("description", "Edited by admin")).status()).isEqualTo(200);
        assertThat(http.put("/api/products/" + UUID.randomUUID(), admin(), Map.of("price", 1)).status()).isEqualTo(404);

        assertThat(http.delete(path, vendor).status()).isEqualTo(200);
        assertThat(http.get(path, null).status()).isEqualTo(404);
        assertThat(http.delete(path, admin()).status()).isEqualTo(404);

        assertThat(http.post("/api/categories", vendor, Map.of("name", "Nope")).status()).isEqualTo(403);
    }

    @Test
    void badParametersAreFourHundredsNamingTheField() {
        Map<String, String> cases = Map.of(
                "page=-1", "page", "limit=10000", "limit", "limit=0", "limit", "minPrice=50&maxPrice=10", "minPrice",
                "minPrice=abc", "minPrice", "maxPrice=-3", "maxPrice", "page=two", "page", "sort=cheapest", "sort",
                "category=Not%20A%20Slug", "category", "minPrice=1.999", "minPrice");
        cases.forEach((query, field) -> {
            TestHttp.Reply reply = http.get("/api/products?" + query, null);
            assertThat(reply.status()).as(query + " -> " + reply).isEqualTo(400);
            assertThat(reply.firstErrorField()).as(query).isEqualTo(field);
        });
        TestHttp.Reply badBody = http.post("/api/products", admin(), Map.of("name", "x", "price", -1, "colour", "red"));
        assertThat(badBody.status()).isEqualTo(400);
        assertThat(badBody.firstErrorField()).isEqualTo("colour");
        TestHttp.Reply badPrice = http.post("/api/products", admin(), Map.of("name", "x", "price", 1.234));
        assertThat(badPrice.firstErrorField()).isEqualTo("price");
        TestHttp.Reply badCategory = http.post("/api/products", admin(), Map.of("name", "x", "price", 1, "categoryId", UUID.randomUUID().toString()));
        assertThat(badCategory.status()).isEqualTo(400);
        assertThat(badCategory.firstErrorField()).isEqualTo("categoryId");
        assertThat(http.get("/api/products/not-a-uuid", null).status()).isEqualTo(404);
        String slug = "dup-" + suffix();
        category("Dup", slug, null);
        assertThat(http.post("/api/categories", admin(), Map.of("name", "Dup", "slug", slug)).status()).isEqualTo(409);
    }

    @Test
    void listsAndPagesAnswer304UntilAProductChanges() throws Exception {
        String s = suffix();
        JsonNode cat = category("Etag " + s, "etag-" + s, null);
        JsonNode p = product(admin(), "Etag Product " + s, "d", "10.00", cat);
        String list = "/api/products?category=etag-" + s;
        TestHttp.Reply first = http.get(list, null);
        String etag = first.header("ETag");
        assertThat(etag).startsWith("W/\"");
        assertThat(first.header("Cache-Control")).contains("max-age");
        assertThat(http.send("GET", list, null, null, Map.of("If-None-Match", etag)).status()).isEqualTo(304);

        String page = "/api/products/" + p.path("id").asText();
        String pageTag = http.get(page, null).header("ETag");
        assertThat(http.send("GET", page, null, null, Map.of("If-None-Match", pageTag)).status()).isEqualTo(304);

        http.put(page, admin(), Map.of("price", 12));
        TestHttp.Reply changed = http.send("GET", list, null, null, Map.of("If-None-Match", etag));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.data().get(0).path("price").decimalValue()).isEqualByComparingTo("12");
        assertThat(http.send("GET", page, null, null, Map.of("If-None-Match", pageTag)).status()).isEqualTo(200);

        // the PUT's own product event drops the cached page a little later (relay, then NATS): wait until it
        // has been sent and the page is served from the cache again, so it cannot land in the middle below
        await().atMost(Duration.ofSeconds(10)).until(() -> CATALOG.count("SELECT count(*) FROM outbox") == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            long before = CATALOG.module().cache().hits();
            http.get(page, null);
            return CATALOG.module().cache().hits() == before + 1;
        });
        // another replica changed the row: its product event alone drops this replica's cached answers
        long hits = CATALOG.module().cache().hits();
        http.get(page, null);
        assertThat(CATALOG.module().cache().hits()).isEqualTo(hits + 1);
        try (Connection c = CATALOG.jdbc(); var st = c.createStatement()) {
            st.executeUpdate("UPDATE products SET name = 'Renamed " + s + "', version = version + 1 WHERE id = '" + p.path("id").asText() + "'");
        }
        assertThat(http.get(page, null).data().path("name").asText()).isEqualTo("Etag Product " + s); // still cached
        CloudEvent event = CloudEvent.of("catalog", "storefront.product.updated", Map.of("id", p.path("id").asText()));
        CATALOG.module().context().bus().jetStream().publish(NatsMessage.builder().subject(CATALOG.module().context().bus().subjectFor(event.type()))
                .data(Json.write(event).getBytes(StandardCharsets.UTF_8)).build());
        await().atMost(Duration.ofSeconds(5)).until(() -> http.get(page, null).data().path("name").asText().equals("Renamed " + s));
    }

    @Test
    void everyChangeEmitsItsProductEvent() {
        JsonNode p = product(admin(), "Evented " + suffix(), "d", "1.00", null);
        String id = p.path("id").asText();
        http.put("/api/products/" + id, admin(), Map.of("price", 2));
        http.delete("/api/products/" + id, admin());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(EVENTS.stream()
                .filter(e -> e.data().path("id").asText().equals(id)).map(CloudEvent::type).toList())
                .containsExactly("storefront.product.created", "storefront.product.updated", "storefront.product.deleted"));
        CloudEvent updated = EVENTS.stream().filter(e -> e.type().endsWith("updated") && e.data().path("id").asText().equals(id))
                .findFirst().orElseThrow();
        assertThat(updated.data().path("price").decimalValue()).isEqualByComparingTo("2");
        assertThat(updated.data().has("version")).isFalse();
    }

    /** Views and searches leave as a few batched activity events, each entry with its own id, not one event per request. */
    @Test
    void viewsAndSearchesAreBatchedIntoActivityEvents() {
        String id = product(admin(), "Watched " + suffix(), "d", "1.00", null).path("id").asText();
        for (int i = 0; i < 20; i++) {
            assertThat(http.send("GET", "/api/products/" + id, null, null, List.<String[]>of(new String[] {"X-Session-Id", "catalog-test-1"}))
                    .status()).isEqualTo(200);
        }
        String missing = "nothing-matches-" + suffix();
        assertThat(http.get("/api/products?q=" + missing, null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<JsonNode> entries = EVENTS.stream().filter(e -> e.type().equals("storefront.product.activity"))
                    .flatMap(e -> java.util.stream.StreamSupport.stream(e.data().path("events").spliterator(), false)).toList();
            List<JsonNode> views = entries.stream().filter(e -> e.path("productId").asText().equals(id)).toList();
            assertThat(views).hasSize(20).allMatch(e -> e.path("type").asText().equals("product_view")
                    && e.path("sessionId").asText().equals("catalog-test-1"));
            assertThat(views.stream().map(e -> e.path("id").asText()).distinct()).hasSize(20);
            assertThat(entries).anyMatch(e -> e.path("type").asText().equals("product_search")
                    && e.path("query").asText().equals(missing) && e.path("resultCount").asInt() == 0);
        });
        long batches = EVENTS.stream().filter(e -> e.type().equals("storefront.product.activity")
                && e.data().path("events").toString().contains(id)).count();
        assertThat(batches).as("batched, not one event per view").isLessThan(20);
        assertThat(CATALOG.module().droppedActivity()).isZero();
    }

    @Test
    void everyProductComesInKeysetPagesForSearch() {
        product(admin(), "Paged " + suffix(), "d", "4.00", null);
        product(admin(), "Paged " + suffix(), "d", "5.00", null);
        List<String> ids = new ArrayList<>();
        String after = null;
        while (true) {
            TestHttp.Reply page = http.get("/internal/catalog/products/all?limit=1" + (after == null ? "" : "&after=" + after),
                    CATALOG.service("search"));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            if (page.data().isEmpty()) {
                break;
            }
            after = page.data().get(0).path("id").asText();
            ids.add(after);
        }
        assertThat((long) ids.size()).isEqualTo(CATALOG.count("SELECT count(*) FROM products"));
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(http.get("/internal/catalog/products/all?after=nope", CATALOG.service("search")).firstErrorField()).isEqualTo("after");
        assertThat(http.get("/internal/catalog/products/all?limit=1001", CATALOG.service("search")).firstErrorField()).isEqualTo("limit");
        assertThat(http.get("/internal/catalog/products/all", admin()).status()).isEqualTo(403);
    }

    @Test
    void internalLookupTakesOnlyServiceTokens() {
        JsonNode p = product(admin(), "Internal " + suffix(), "d", "3.00", null);
        String path = "/internal/catalog/products?ids=" + p.path("id").asText() + "," + UUID.randomUUID();
        TestHttp.Reply reply = http.get(path, CATALOG.service("cart"));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.data()).hasSize(1);
        assertThat(reply.data().get(0).path("price").decimalValue()).isEqualByComparingTo("3.00");
        assertThat(http.get(path, admin()).status()).isEqualTo(403);
        assertThat(http.get(path, null).status()).isEqualTo(401);
        assertThat(http.get("/internal/catalog/products?ids=nope", CATALOG.service("cart")).firstErrorField()).isEqualTo("ids");
        assertThat(http.get("/api/products", CATALOG.service("cart")).status()).isEqualTo(200); // public list needs no token
    }

    @Test
    void openApiDocumentMatchesTheRoutes() {
        OpenApiContract.assertMatches(CATALOG.module());
    }
}
