package dev.storefront.inventory;

import java.util.List;
import java.util.UUID;

import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.events.EventHandler;
import io.helidon.dbclient.DbTransaction;

/** A product the catalog deleted loses its stock row. */
final class ProductDeletedHandler extends EventHandler {
    private final InventoryRepository repo;

    ProductDeletedHandler(InventoryRepository repo) {
        super("products", List.of("storefront.product.deleted"));
        this.repo = repo;
    }

    @Override
    public void apply(DbTransaction tx, CloudEvent event) {
        repo.productDeleted(tx, UUID.fromString(event.data().path("id").asText()));
    }
}
