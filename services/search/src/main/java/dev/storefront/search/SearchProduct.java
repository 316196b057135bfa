package dev.storefront.search;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.web.Json;

/**
 * A product as catalog puts it on the wire (its events and its internal list), as search shows it again.
 * Fields catalog may add later are ignored rather than refused: they are catalog's to add. {@code media}
 * (catalog's uploaded images with their variants) is carried through untouched, so result cards can offer
 * a srcset as catalog's own lists do.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SearchProduct(UUID id, String name, String description, BigDecimal price, String currency,
                            UUID categoryId, String categorySlug, UUID vendorId, List<String> images,
                            Map<String, Object> attributes, List<JsonNode> media, Instant createdAt, Instant updatedAt) {

    static SearchProduct from(JsonNode json) {
        SearchProduct p = Json.convert(json, SearchProduct.class);
        if (p.id() == null || p.name() == null || p.price() == null) {
            throw new IllegalArgumentException("a product needs an id, a name and a price");
        }
        return p;
    }

    /** The text the embedding is made of: what a shopper would read about it. */
    String embeddingText(String categoryName) {
        StringBuilder text = new StringBuilder(name);
        if (categoryName != null) {
            text.append(". ").append(categoryName);
        }
        if (description != null && !description.isBlank()) {
            text.append(". ").append(description);
        }
        return text.toString();
    }

    /** When this version was written; an event or page older than what the index holds is ignored. */
    Instant version() {
        return updatedAt != null ? updatedAt : createdAt != null ? createdAt : Instant.EPOCH;
    }
}
