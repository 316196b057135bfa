package dev.storefront.cart;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.UUID;

import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.events.EventHandler;
import io.helidon.dbclient.DbTransaction;

/** A product the catalog deleted leaves the carts it was in. */
final class ProductDeletedHandler extends EventHandler {
    private static final System.Logger LOG = System.getLogger(ProductDeletedHandler.class.getName());

    private final CartRepository repository;

    ProductDeletedHandler(CartRepository repository) {
        super("products", List.of("storefront.product.deleted"));
        this.repository = repository;
    }

    @Override
    public void apply(DbTransaction tx, CloudEvent event) {
        try {
            repository.applyProductDeleted(tx, UUID.fromString(event.data().path("id").asText()));
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "Ignoring product.deleted " + event.id() + " without a product id");
        }
    }
}
