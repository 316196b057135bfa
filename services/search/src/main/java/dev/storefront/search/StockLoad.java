package dev.storefront.search;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.http.ServiceClient;
import dev.storefront.common.web.Params;

/**
 * The full load's stock part: every product's availability from inventory's {@code /internal/inventory/availability}
 * (keyset pages in product-id order), each at inventory's version, so an event newer than a page wins and an older
 * one loses ({@link ProductIndex#stock}). Read before the catalog's pages, so the documents are written with it.
 */
final class StockLoad {
    private static final System.Logger LOG = System.getLogger(StockLoad.class.getName());
    static final int PAGE = 1_000;

    private final ServiceClient inventory;
    private final ProductIndex index;

    StockLoad(ServiceClient inventory, ProductIndex index) {
        this.inventory = inventory;
        this.index = index;
    }

    /** Reads every page (a failure is the caller's: the rebuild is retried); answers how many products inventory told of. */
    long load(BooleanSupplier stopping) throws IOException {
        UUID after = null;
        long read = 0;
        while (!stopping.getAsBoolean()) {
            JsonNode page = inventory.get("/internal/inventory/availability?limit=" + PAGE + (after == null ? "" : "&after=" + after));
            int rows = 0;
            for (JsonNode row : page) {
                rows++;
                UUID id = Params.parseId(row.path("productId").asText("")).orElse(null);
                if (id != null) {
                    index.stock(id, row.path("inStock").asBoolean(false), row.path("version").asLong(0));
                    after = id;
                }
            }
            read += rows;
            if (rows < PAGE || after == null) {
                break;
            }
        }
        index.refresh();
        LOG.log(Level.INFO, "search index: availability of " + read + " products read from inventory");
        return read;
    }
}
