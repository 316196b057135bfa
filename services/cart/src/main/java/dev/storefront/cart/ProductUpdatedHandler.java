package dev.storefront.cart;

import java.lang.System.Logger.Level;
import java.util.List;

import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.events.EventHandler;
import io.helidon.dbclient.DbTransaction;

/** Keeps the name and price of cart lines in step with the catalog's product. */
final class ProductUpdatedHandler extends EventHandler {
    private static final System.Logger LOG = System.getLogger(ProductUpdatedHandler.class.getName());

    private final CartRepository repository;

    ProductUpdatedHandler(CartRepository repository) {
        super("products", List.of("storefront.product.updated"));
        this.repository = repository;
    }

    @Override
    public void apply(DbTransaction tx, CloudEvent event) {
        CatalogProduct product = CatalogProduct.from(event.data());
        if (product == null) {
            LOG.log(Level.WARNING, "Ignoring product.updated " + event.id() + " without id, name, price and currency");
            return;
        }
        repository.applyProductUpdate(tx, product);
    }
}
