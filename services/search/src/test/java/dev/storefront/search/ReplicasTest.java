package dev.storefront.search;

import java.time.Duration;
import java.util.Map;

import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.common.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two search replicas on one database, as in a Deployment: each holds its own index, and each gets every product
 * event (not one of them each); the second embeds nothing at start, its vectors come from the first's embedding cache.
 */
class ReplicasTest {
    private static CatalogAndSearch shop;
    private static final ServiceFixture<SearchModule> SECOND = ServiceFixture.of("search", SearchModule::create);

    @BeforeAll
    static void start() {
        shop = new CatalogAndSearch().start();
        SECOND.set("storefront.db.url", shop.search.env().jdbcUrl("search"));
        shop.replica(SECOND);
    }

    @AfterAll
    static void stop() {
        SECOND.close();
        shop.close();
    }

    private static long found(ServiceFixture<SearchModule> replica, String word) {
        return replica.http().get("/api/search?mode=keyword&q=" + word, null).json().path("pagination").path("total").asLong();
    }

    @Test
    void theSecondReplicaTakesTheFirstOnesEmbeddings() {
        long products = shop.catalog.count("SELECT count(*) FROM products");
        IndexRebuild.Progress first = shop.search.module().rebuild().progress();
        IndexRebuild.Progress second = SECOND.module().rebuild().progress();
        assertThat(first.indexed()).isEqualTo(products);
        assertThat(first.embedded()).as("a fresh database: every product embedded").isEqualTo(products);
        assertThat(shop.search.count("SELECT count(*) FROM embeddings")).isEqualTo(products);
        assertThat(second.indexed()).isEqualTo(products);
        assertThat(second.embedded()).as("nothing embedded again").isZero();
        assertThat(second.fromCache()).isEqualTo(products);
        // the same vectors: a semantic search ranks alike on both
        String q = "/api/search?mode=semantic&limit=5&q=something%20to%20keep%20coffee%20hot";
        assertThat(SECOND.http().get(q, null).data().path("items").findValuesAsText("id"))
                .isEqualTo(shop.search.http().get(q, null).data().path("items").findValuesAsText("id"));
    }

    @Test
    void aChangedTextIsEmbeddedAgainAndAPriceChangeIsNot() throws Exception {
        TestHttp.Reply created = shop.catalog.http().post("/api/products", shop.catalog.admin(),
                Map.of("name", "Zentrix Kettle", "description", "boils water", "price", 30));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.data().path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> found(shop.search, "zentrix") == 1 && found(SECOND, "zentrix") == 1);
        long embedded = shop.search.module().embedded();
        byte[] key = storedKey(id);

        TestHttp.Reply repriced = shop.catalog.http().put("/api/products/" + id, shop.catalog.admin(),
                Map.of("name", "Zentrix Kettle", "description", "boils water", "price", 25));
        assertThat(repriced.status()).as(repriced.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> price(shop.search, "zentrix").equals("25.00"));
        assertThat(shop.search.module().embedded()).as("same text, same vector").isEqualTo(embedded);

        TestHttp.Reply renamed = shop.catalog.http().put("/api/products/" + id, shop.catalog.admin(),
                Map.of("name", "Zentrix Kettle", "description", "boils water fast, keeps tea hot", "price", 25));
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> shop.search.module().embedded() > embedded);
        await().atMost(Duration.ofSeconds(10)).until(() -> !java.util.Arrays.equals(storedKey(id), key));

        TestHttp.Reply deleted = shop.catalog.http().delete("/api/products/" + id, shop.catalog.admin());
        assertThat(deleted.status()).as(deleted.toString()).isIn(200, 204);
        await().atMost(Duration.ofSeconds(30)).until(() -> shop.search.count("SELECT count(*) FROM embeddings WHERE product_id = ?::uuid", id) == 0);
    }

    private static byte[] storedKey(String id) throws java.sql.SQLException {
        try (var c = shop.search.jdbc(); var st = c.prepareStatement("SELECT text_key FROM embeddings WHERE product_id = ?::uuid")) {
            st.setString(1, id);
            try (var rs = st.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    private static String price(ServiceFixture<SearchModule> replica, String word) {
        var items = replica.http().get("/api/search?mode=keyword&q=" + word, null).data().path("items");
        return items.isEmpty() ? "" : items.get(0).path("price").decimalValue().setScale(2).toPlainString();
    }

    @Test
    void everyReplicaIndexesEveryProduct() {
        for (int i = 0; i < 6; i++) {
            TestHttp.Reply created = shop.catalog.http().post("/api/products", shop.catalog.admin(),
                    Map.of("name", "Quorvex Lamp " + i, "price", 10 + i));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> found(shop.search, "quorvex") == 6 && found(SECOND, "quorvex") == 6);
    }
}
