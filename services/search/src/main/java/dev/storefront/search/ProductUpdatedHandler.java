package dev.storefront.search;

/** Catalog's product.updated: the product is (re)indexed on this replica ({@link ProductUpsertHandler}). */
final class ProductUpdatedHandler extends ProductUpsertHandler {
    ProductUpdatedHandler(ProductIndexer indexer) {
        super("storefront.product.updated", indexer);
    }
}
