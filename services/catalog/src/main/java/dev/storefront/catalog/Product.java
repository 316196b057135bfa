package dev.storefront.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** A product as the wire contract shows it; {@code version} only feeds the ETag. */
public record Product(UUID id, String name, String description, BigDecimal price, String currency,
                      UUID categoryId, String categorySlug, UUID vendorId, List<String> images,
                      Map<String, Object> attributes, Instant createdAt, Instant updatedAt,
                      @JsonIgnore long version, String gtin) {
}
