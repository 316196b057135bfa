package dev.storefront.cart;

import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.http.InventoryAvailability;
import dev.storefront.common.http.ServiceClient;
import dev.storefront.common.web.ApiException;

/** What the cart asks its neighbours: catalog for name and price, inventory for what is available. */
public final class ProductLookup {
    private final ServiceClient catalog;
    private final InventoryAvailability inventory;

    public ProductLookup(ServiceContext ctx) {
        this.catalog = ctx.client("catalog");
        this.inventory = new InventoryAvailability(ctx);
    }

    /** The product as catalog has it now; empty when catalog does not know it. */
    public Optional<CatalogProduct> product(UUID id) {
        JsonNode products = catalog.get("/internal/catalog/products?ids=" + id);
        if (products != null) {
            for (JsonNode p : products) {
                if (id.toString().equals(p.path("id").asText())) {
                    CatalogProduct product = CatalogProduct.from(p);
                    if (product == null) {
                        throw ApiException.unavailable("catalog answered an unreadable product");
                    }
                    return Optional.of(product);
                }
            }
        }
        return Optional.empty();
    }

    /** Units available to add; a product inventory does not track has none. */
    public int available(UUID id) {
        return inventory.available(id);
    }
}
