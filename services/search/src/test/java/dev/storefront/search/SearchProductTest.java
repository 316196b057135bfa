package dev.storefront.search;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.web.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What search keeps of catalog's product and shows again in its hits. */
class SearchProductTest {
    @Test
    void uploadedImagesWithTheirVariantsReachTheHitsAsCatalogSentThem() throws Exception {
        JsonNode fromCatalog = Json.mapper().readTree("""
                {"id": "6f1c2a52-6a4b-4c7e-9d0a-3e1b2c4d5e6f", "name": "Lamp", "price": 12.50, "currency": "USD",
                 "images": ["/api/products/6f1c2a52-6a4b-4c7e-9d0a-3e1b2c4d5e6f/images/i1/full-ab.jpg"],
                 "media": [{"id": "i1", "position": 0, "primary": true, "width": 900, "height": 600, "sourceFormat": "png",
                            "variants": {"thumb": {"url": "/t.jpg", "width": 160, "height": 107},
                                         "card": {"url": "/c.jpg", "width": 480, "height": 320},
                                         "full": {"url": "/f.jpg", "width": 900, "height": 600}}}],
                 "someFieldCatalogAddsLater": true}
                """);
        SearchProduct product = SearchProduct.from(fromCatalog);

        String stored = ProductDocument.of(product, List.of(), new float[] {1f, 0f, 0f}).get(ProductDocument.SOURCE);

        JsonNode hit = Json.mapper().readTree(stored);
        assertThat(hit.path("media").get(0).path("variants").path("card").path("url").asText()).isEqualTo("/c.jpg");
        assertThat(hit.path("media").get(0).path("variants").path("full").path("width").asInt()).isEqualTo(900);
        assertThat(hit.path("images").get(0).asText()).endsWith("full-ab.jpg");
        assertThat(SearchProduct.from(Json.mapper().readTree("{\"id\": \"6f1c2a52-6a4b-4c7e-9d0a-3e1b2c4d5e6f\", \"name\": \"Old\", \"price\": 1}"))
                .media()).isNull(); // an event from before uploads: no media, nothing invented
    }
}
