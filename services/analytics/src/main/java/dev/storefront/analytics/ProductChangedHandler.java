package dev.storefront.analytics;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.events.EventHandler;
import dev.storefront.common.web.Params;
import io.helidon.dbclient.DbTransaction;

/** Catalog's product created / updated: which vendor sells it (vendors see their own products only) and its name. */
final class ProductChangedHandler extends EventHandler {
    private final AnalyticsRepository repo;

    ProductChangedHandler(AnalyticsRepository repo) {
        super("products", List.of("storefront.product.created", "storefront.product.updated"));
        this.repo = repo;
    }

    @Override
    public void apply(DbTransaction tx, CloudEvent event) {
        JsonNode data = event.data();
        var id = Params.parseId(data == null ? "" : data.path("id").asText(""));
        if (id.isEmpty()) {
            return; // nothing to attribute
        }
        var vendor = Params.parseId(data.path("vendorId").asText(""));
        repo.productChanged(tx, id.get(), vendor.orElse(null), data.path("name").asText(""));
    }
}
