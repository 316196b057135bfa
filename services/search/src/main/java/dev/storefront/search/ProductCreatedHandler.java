package dev.storefront.search;

/** Catalog's product.created: the product is (re)indexed on this replica ({@link ProductUpsertHandler}). */
final class ProductCreatedHandler extends ProductUpsertHandler {
    ProductCreatedHandler(ProductIndexer indexer) {
        super("storefront.product.created", indexer);
    }
}
