package dev.storefront.catalog.pricefeeds;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.catalog.CatalogModule;
import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.common.testing.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The catalog's own "price-feeds" job: a registered feed is fetched without anyone asking, and again on "fetch now". */
class PriceFeedJobTest {
    @RegisterExtension
    static final ServiceFixture<CatalogModule> CATALOG = ServiceFixture.of("catalog", CatalogModule::create)
            .set("storefront.catalog.price-feeds.poll-seconds", "1")
            .set("storefront.catalog.price-feeds.allow-private-addresses", "true");

    @Test
    void theJobFetchesANewFeedAndAgainWhenAskedTo() throws Exception {
        TestHttp http = CATALOG.http();
        String sku = "JOB-" + UUID.randomUUID().toString().substring(0, 8);
        TestHttp.Reply created = http.post("/api/products", CATALOG.admin(), Map.of("name", "Teapot", "price", new BigDecimal("15.00"),
                "attributes", Map.of("sku", sku)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String prices = "/api/products/" + created.data().path("id").asText() + "/prices";
        try (FeedServer feeds = new FeedServer()) {
            feeds.serve("/feed.csv", "text/csv; charset=utf-8", "sku,price\n" + sku + ",14.00\n");
            TestHttp.Reply feed = http.post("/api/products/price-feeds", CATALOG.admin(), Map.of("name", "Job rival", "url", feeds.url("/feed.csv"),
                    "format", "CSV", "mapping", Map.of("matchBy", "SKU", "key", "sku", "price", "price"), "currency", "USD", "intervalMinutes", 60));
            assertThat(feed.status()).as(feed.toString()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(20)).until(() -> http.get(prices, CATALOG.admin()).data().path("sources").size() == 1);
            assertThat(http.get(prices, CATALOG.admin()).data().path("sources").get(0).path("price").decimalValue()).isEqualByComparingTo("14.00");

            // next fetch is an hour away: "fetch now" brings it forward
            feeds.serve("/feed.csv", "text/csv", "sku,price\n" + sku + ",13.50\n");
            String id = feed.data().path("id").asText();
            assertThat(http.post("/api/products/price-feeds/" + id + "/fetch", CATALOG.admin(), null).status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                JsonNode source = http.get(prices, CATALOG.admin()).data().path("sources").get(0);
                return source.path("price").decimalValue().compareTo(new BigDecimal("13.50")) == 0;
            });
            assertThat(feeds.hits("/feed.csv")).isEqualTo(2);
        }
    }
}
