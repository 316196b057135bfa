package dev.storefront.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.events.EventHandler;
import io.helidon.dbclient.DbTransaction;

/**
 * What product.created and product.updated both do on this replica: (re)index the product in the event,
 * unless the index already holds a newer version. Every replica gets every event (each keeps its own index).
 */
abstract class ProductUpsertHandler extends EventHandler {
    private static final System.Logger LOG = System.getLogger(ProductUpsertHandler.class.getName());

    private final ProductIndexer indexer;

    ProductUpsertHandler(String type, ProductIndexer indexer) {
        super("index", List.of(type));
        this.indexer = indexer;
    }

    @Override
    public boolean everyReplica() {
        return true;
    }

    @Override
    public void apply(DbTransaction tx, CloudEvent event) {
        SearchProduct product;
        try {
            product = SearchProduct.from(event.data());
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "search: ignoring a product event that is no product: " + event.id());
            return; // redelivering it would not make it one
        }
        try {
            indexer.upsert(List.of(product));
            indexer.refresh();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
