package dev.storefront.inventory;

import java.util.List;
import java.util.UUID;

import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.events.EventHandler;
import io.helidon.dbclient.DbTransaction;

/**
 * A cancelled order's stock comes back. Restock is idempotent by the reservation's state, so running
 * it in its own transaction is safe when the event is redelivered.
 */
final class OrderCancelledHandler extends EventHandler {
    private final InventoryRepository repo;

    OrderCancelledHandler(InventoryRepository repo) {
        super("orders", List.of("storefront.order.cancelled"));
        this.repo = repo;
    }

    @Override
    public void apply(DbTransaction tx, CloudEvent event) {
        repo.restock(UUID.fromString(event.data().path("id").asText()));
    }
}
