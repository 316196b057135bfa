package dev.storefront.catalog;

import java.util.UUID;

/** A node of the category tree; {@code parentId} is null at the top. */
public record Category(UUID id, String name, String slug, UUID parentId, String description) {
}
