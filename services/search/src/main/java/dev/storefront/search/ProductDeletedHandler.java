package dev.storefront.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.events.EventHandler;
import dev.storefront.common.web.Params;
import io.helidon.dbclient.DbTransaction;

/** Catalog's product.deleted: the product leaves this replica's index (an older update arriving later does not bring it back). */
final class ProductDeletedHandler extends EventHandler {
    private final ProductIndexer indexer;

    ProductDeletedHandler(ProductIndexer indexer) {
        super("index", List.of("storefront.product.deleted"));
        this.indexer = indexer;
    }

    @Override
    public boolean everyReplica() {
        return true; // each replica keeps its own index
    }

    @Override
    public void apply(DbTransaction tx, CloudEvent event) {
        var id = Params.parseId(event.data() == null ? "" : event.data().path("id").asText(""));
        if (id.isEmpty()) {
            return; // names no product: nothing to remove
        }
        try {
            indexer.delete(id.get(), event.time() != null ? event.time() : Instant.now());
            EmbeddingCache.delete(tx, id.get());
            indexer.refresh();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
