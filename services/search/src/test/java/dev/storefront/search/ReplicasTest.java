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

/** Two search replicas: each holds its own index, and each gets every product event (not one of them each). */
class ReplicasTest {
    private static CatalogAndSearch shop;
    private static final ServiceFixture<SearchModule> SECOND = ServiceFixture.of("search", SearchModule::create);

    @BeforeAll
    static void start() {
        shop = new CatalogAndSearch().start();
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
    void everyReplicaIndexesEveryProduct() {
        for (int i = 0; i < 6; i++) {
            TestHttp.Reply created = shop.catalog.http().post("/api/products", shop.catalog.admin(),
                    Map.of("name", "Quorvex Lamp " + i, "price", 10 + i));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> found(shop.search, "quorvex") == 6 && found(SECOND, "quorvex") == 6);
    }
}
