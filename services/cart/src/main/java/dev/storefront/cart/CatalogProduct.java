package dev.storefront.cart;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** The few fields of catalog's Product the cart keeps (read leniently: catalog may add fields). */
public record CatalogProduct(UUID id, String name, BigDecimal price, String currency, Instant updatedAt) {

    /** Reads a Product from catalog's answer or a product event; null when it lacks what a cart line needs. */
    public static CatalogProduct from(JsonNode node) {
        if (node == null || !node.path("id").isTextual() || !node.path("name").isTextual()
                || !node.path("price").isNumber() || !node.path("currency").isTextual()) {
            return null;
        }
        try {
            Instant updatedAt = node.path("updatedAt").isTextual() ? Instant.parse(node.path("updatedAt").asText()) : null;
            return new CatalogProduct(UUID.fromString(node.path("id").asText()), node.path("name").asText(),
                    node.path("price").decimalValue().setScale(2, java.math.RoundingMode.UNNECESSARY),
                    node.path("currency").asText(), updatedAt);
        } catch (RuntimeException e) { // bad uuid, date or a price with more than 2 decimals
            return null;
        }
    }
}
