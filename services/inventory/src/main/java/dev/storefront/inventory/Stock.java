package dev.storefront.inventory;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Stock of one product as admins see it. */
public record Stock(UUID productId, int available, int reserved, int sold, int lowStockThreshold,
                    @JsonProperty("isLowStock") boolean isLowStock) {

    /** What anyone may see: how many can be bought and whether it is running out. */
    public record PublicView(UUID productId, int quantity, @JsonProperty("isLowStock") boolean isLowStock,
                             boolean inStock) {
    }

    public PublicView publicView() {
        return new PublicView(productId, available, isLowStock, available > 0);
    }
}
