package dev.storefront.inventory;

import java.util.List;
import java.util.UUID;
import java.util.function.ToIntFunction;

import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.events.EventHandler;
import io.helidon.dbclient.DbTransaction;

/** A product the catalog created gets a stock row: none, or its demo quantity in demo runs. */
final class ProductCreatedHandler extends EventHandler {
    private final InventoryRepository repo;
    private final ToIntFunction<UUID> initialQuantity;

    ProductCreatedHandler(InventoryRepository repo, ToIntFunction<UUID> initialQuantity) {
        super("products", List.of("storefront.product.created"));
        this.repo = repo;
        this.initialQuantity = initialQuantity;
    }

    @Override
    public void apply(DbTransaction tx, CloudEvent event) {
        UUID id = UUID.fromString(event.data().path("id").asText());
        repo.productCreated(tx, id, initialQuantity.applyAsInt(id));
    }
}
