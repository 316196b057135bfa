package dev.storefront.common.http;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.ErrorCode;

/**
 * Units of a product inventory could sell now, read from its public {@code GET /api/inventory/{id}}
 * (which refuses service tokens, so none is sent). A look, not a promise: only a reservation holds stock.
 */
public final class InventoryAvailability {
    private final ServiceClient inventory;

    public InventoryAvailability(ServiceContext ctx) {
        this.inventory = ctx.publicClient("inventory");
    }

    /** Units available; a product inventory does not track has none. */
    public int available(UUID productId) {
        try {
            JsonNode stock = inventory.get("/api/inventory/" + productId);
            return stock == null ? 0 : Math.max(0, stock.path("quantity").asInt(0));
        } catch (ApiException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return 0;
            }
            // inventory refusing us is its problem, not the caller's request
            throw e.status() < 500 ? ApiException.unavailable("inventory refused the stock lookup") : e;
        }
    }
}
