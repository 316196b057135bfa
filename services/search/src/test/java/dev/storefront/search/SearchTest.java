package dev.storefront.search;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.testing.OpenApiContract;
import dev.storefront.common.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Search over the real demo catalog: rebuilt at start, kept current by catalog's events, its answers and its refusals. */
class SearchTest {
    private static CatalogAndSearch shop;
    private static TestHttp http;

    @BeforeAll
    static void start() {
        shop = new CatalogAndSearch().start();
        http = shop.search.http();
    }

    @AfterAll
    static void stop() {
        shop.close();
    }

    private static List<String> names(TestHttp.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        reply.data().path("items").forEach(p -> names.add(p.path("name").asText()));
        return names;
    }

    @Test
    void theWholeCatalogIsIndexedAtStart() {
        long products = shop.catalog.count("SELECT count(*) FROM products");
        TestHttp.Reply progress = http.get("/api/search/index", shop.search.admin());
        assertThat(progress.data().path("inIndex").asLong()).isEqualTo(products);
        TestHttp.Reply all = http.get("/api/search?limit=5", null);
        assertThat(all.json().path("pagination").path("total").asLong()).isEqualTo(products);
        assertThat(all.data().path("mode").asText()).isEqualTo("browse");
    }

    @Test
    void eachModeFindsWhatItShould() {
        assertThat(names(http.get("/api/search?q=espresso&mode=keyword", null))).first().asString().contains("Espresso Machine");
        assertThat(names(http.get("/api/search?q=expresso%20machine&mode=keyword", null))).first().asString().contains("Espresso Machine");
        assertThat(names(http.get("/api/search?q=listen%20to%20vinyl&mode=semantic", null)).subList(0, 3))
                .anyMatch(n -> n.contains("Turntable"));
        assertThat(names(http.get("/api/search?q=listen%20to%20vinyl&mode=keyword", null))).noneMatch(n -> n.contains("Turntable"));
        assertThat(names(http.get("/api/search?q=listen%20to%20vinyl", null)).subList(0, 3)).anyMatch(n -> n.contains("Turntable"));
    }

    @Test
    void filtersFacetsSortsAndPages() {
        TestHttp.Reply reply = http.get("/api/search?q=speaker&category=electronics&maxPrice=100&sort=price_asc&limit=50", null);
        List<JsonNode> items = new ArrayList<>();
        reply.data().path("items").forEach(items::add);
        assertThat(items).isNotEmpty().allSatisfy(p -> {
            assertThat(p.path("price").decimalValue()).isLessThanOrEqualTo(new java.math.BigDecimal("100"));
            assertThat(p.path("categorySlug").asText()).isIn("audio", "computers", "smart-home"); // the subtree
        });
        assertThat(items).isSortedAccordingTo(java.util.Comparator.comparing(p -> p.path("price").decimalValue()));
        JsonNode facets = reply.data().path("facets");
        assertThat(facets.path("categories").findValuesAsText("slug")).contains("electronics");
        long inBands = 0;
        for (JsonNode band : facets.path("priceBands")) {
            inBands += band.path("count").asLong();
        }
        assertThat(inBands).isEqualTo(reply.json().path("pagination").path("total").asLong());

        // a category page: no q, newest first, page 2 follows page 1
        List<String> first = names(http.get("/api/search?category=kitchen&limit=5", null));
        List<String> second = names(http.get("/api/search?category=kitchen&limit=5&page=2", null));
        assertThat(first).hasSize(5).doesNotContainAnyElementsOf(second);
    }

    @Test
    void suggestionsCompleteWhatIsTyped() {
        assertThat(http.get("/api/search/suggest?q=espr", null).data().findValuesAsText("name")).anyMatch(n -> n.contains("Espresso"));
        assertThat(http.get("/api/search/suggest?q=turntabel", null).data().findValuesAsText("name")).anyMatch(n -> n.contains("Turntable"));
        assertThat(http.get("/api/search/suggest?q=mixer", null).data().findValuesAsText("name")).anyMatch(n -> n.contains("Stand Mixer"));
    }

    @Test
    void badParametersAreRefusedByName() {
        assertThat(http.get("/api/search?q=x&mode=fast", null).firstErrorField()).isEqualTo("mode");
        assertThat(http.get("/api/search?minPrice=-1", null).firstErrorField()).isEqualTo("minPrice");
        assertThat(http.get("/api/search?minPrice=10&maxPrice=5", null).firstErrorField()).isEqualTo("minPrice");
        assertThat(http.get("/api/search?category=Not%20A%20Slug", null).firstErrorField()).isEqualTo("category");
        assertThat(http.get("/api/search?sort=random", null).firstErrorField()).isEqualTo("sort");
        assertThat(http.get("/api/search?page=51&limit=20", null).firstErrorField()).isEqualTo("page");
        assertThat(http.get("/api/search?q=" + "a".repeat(201), null).firstErrorField()).isEqualTo("q");
        assertThat(http.get("/api/search/suggest", null).firstErrorField()).isEqualTo("q");
    }

    @Test
    void onlyAnAdminRebuilds() {
        assertThat(http.post("/api/search/index", null, Map.of()).status()).isEqualTo(401);
        assertThat(http.post("/api/search/index", shop.search.shopper(), Map.of()).status()).isEqualTo(403);
        assertThat(http.get("/api/search/index", shop.search.shopper()).status()).isEqualTo(403);
        TestHttp.Reply started = http.post("/api/search/index", shop.search.admin(), Map.of());
        assertThat(started.status()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(2)).until(() ->
                http.get("/api/search/index", shop.search.admin()).data().path("state").asText().equals("done"));
    }

    @Test
    void catalogsEventsKeepTheIndexCurrent() {
        TestHttp catalog = shop.catalog.http();
        String admin = shop.catalog.admin();
        String name = "Zephyrine Teapot " + UUID.randomUUID().toString().substring(0, 6);
        TestHttp.Reply created = catalog.post("/api/products", admin, Map.of("name", name, "price", 12.5,
                "description", "A glazed pot for loose-leaf tea"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.data().path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> names(http.get("/api/search?q=zephyrine&mode=keyword", null)).contains(name));

        TestHttp.Reply updated = catalog.put("/api/products/" + id, admin, Map.of("name", "Quillon Teapot", "price", 14));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> names(http.get("/api/search?q=quillon&mode=keyword", null)).contains("Quillon Teapot"));
        assertThat(names(http.get("/api/search?q=zephyrine&mode=keyword", null))).doesNotContain(name);

        assertThat(catalog.delete("/api/products/" + id, admin).status()).isIn(200, 204);
        await().atMost(Duration.ofSeconds(30)).until(() -> names(http.get("/api/search?q=quillon&mode=keyword", null)).isEmpty());
        assertThat(http.get("/api/search/suggest?q=quillon", null).data()).isEmpty();
    }

    @Test
    void theOpenApiDocumentDescribesTheRoutes() {
        OpenApiContract.assertMatches(shop.search.module());
    }
}
