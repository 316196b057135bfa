package dev.storefront.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.storefront.catalog.images.ProductImage;

/**
 * A product as the wire contract shows it; {@code version} only feeds the ETag. {@code images} are URLs
 * (typed in, or the uploaded images' full-size ones, primary first); {@code media} the uploaded images
 * with their variants.
 */
public record Product(UUID id, String name, String description, BigDecimal price, String currency,
                      UUID categoryId, String categorySlug, UUID vendorId, List<String> images,
                      Map<String, Object> attributes, List<ProductImage> media, Instant createdAt, Instant updatedAt,
                      @JsonIgnore long version, String gtin) {
}
