package dev.storefront.search;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.common.testing.FakeNeighbour;
import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.common.testing.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A search replica is not ready (/observe/health/ready) until its first full load from catalog has finished, so it
 * never answers from an empty index behind a load balancer; it is live all the while (not restarted), and a later
 * rebuild does not take it out of service.
 */
class ReadinessTest {
    private static final String PRODUCTS = "GET /internal/catalog/products/all";
    private static final UUID PRODUCT = UUID.randomUUID();
    private static final FakeNeighbour NEIGHBOURS = new FakeNeighbour()
            .answer("GET", "/api/categories", List.of())
            .answer("GET", "/internal/inventory/availability", List.of(Map.of("productId", PRODUCT, "inStock", true, "version", 4)))
            .answer("GET", "/internal/catalog/products/all", List.of(Map.of("id", PRODUCT, "name", "Halvard Lantern", "price", 30,
                    "currency", "USD", "createdAt", Instant.now().toString(), "updatedAt", Instant.now().toString())))
            .down(PRODUCTS); // catalog is not there yet

    @RegisterExtension
    static final ServiceFixture<SearchModule> SEARCH = ServiceFixture.of("search", SearchModule::create)
            .neighbour(NEIGHBOURS, "catalog", "inventory");

    @Test
    void notReadyUntilTheFirstFullLoadHasFinishedLiveMeanwhile() {
        TestHttp http = SEARCH.http();
        // the rebuild keeps failing while catalog is away: live, not ready, and the answer says why
        await().atMost(Duration.ofSeconds(30)).until(() -> NEIGHBOURS.calls(PRODUCTS) >= 2);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() ->
                http.get("/observe/health/ready", null).status() == 503 && http.get("/observe/health/live", null).status() == 200);
        TestHttp.Reply notReady = http.get("/observe/health/ready", null);
        assertThat(notReady.text()).contains("search-index");
        assertThat(SEARCH.module().rebuild().loaded()).isFalse();

        NEIGHBOURS.heal();
        await().atMost(Duration.ofMinutes(1)).until(() -> http.get("/observe/health/ready", null).status() == 200);
        TestHttp.Reply found = http.get("/api/search?mode=keyword&q=lantern&inStock=true", null);
        assertThat(found.data().path("items").findValuesAsText("name")).containsExactly("Halvard Lantern");
        assertThat(found.data().path("facets").path("inStock").asLong()).isEqualTo(1);

        // an admin's rebuild later (catalog slow now) leaves the replica in service: its index is whole meanwhile
        NEIGHBOURS.delay(PRODUCTS, 3_000);
        assertThat(http.post("/api/search/index", SEARCH.admin(), Map.of()).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> SEARCH.module().rebuild().progress().state().equals("running"));
        assertThat(http.get("/observe/health/ready", null).status()).isEqualTo(200);
        NEIGHBOURS.heal();
        await().atMost(Duration.ofSeconds(30)).until(() -> SEARCH.module().rebuild().progress().state().equals("done"));
        assertThat(http.get("/observe/health/ready", null).status()).isEqualTo(200);
    }
}
