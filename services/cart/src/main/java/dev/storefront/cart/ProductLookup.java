package dev.storefront.cart;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.http.ServiceClient;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.ErrorCode;

/** What the cart asks its neighbours: catalog for name and price, inventory for what is available. */
public final class ProductLookup {
    private final ServiceClient catalog;
    private final ServiceClient inventory;

    public ProductLookup(ServiceContext ctx) {
        this.catalog = ctx.client("catalog");
        // GET /api/inventory/{id} is a public route and /api routes refuse service tokens,
        // so it is called without one.
        this.inventory = new ServiceClient("inventory", ctx.serviceUrl("inventory"), null,
                Duration.ofMillis(ctx.config().get("storefront.http.timeout-ms").asLong().orElse(5_000L)),
                ctx.config().get("storefront.http.max-attempts").asInt().orElse(3));
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
        try {
            JsonNode stock = inventory.get("/api/inventory/" + id);
            return stock == null ? 0 : Math.max(0, stock.path("quantity").asInt(0));
        } catch (ApiException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return 0;
            }
            if (e.status() < 500) { // inventory refusing us is its problem, not the shopper's request
                throw ApiException.unavailable("inventory refused the stock lookup");
            }
            throw e;
        }
    }
}
