package dev.storefront.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.events.EventHandler;
import dev.storefront.common.web.Params;
import io.helidon.dbclient.DbTransaction;

/**
 * Inventory's availability_changed: the product's in-stock value on this replica. Idempotent and ordered by
 * inventory's per-product version ({@link ProductIndex#stock}): the same event twice, or an older one arriving
 * after a newer one or after the full load read a later state, changes nothing.
 */
final class AvailabilityChangedHandler extends EventHandler {
    static final String TYPE = "storefront.inventory.availability_changed";
    private static final System.Logger LOG = System.getLogger(AvailabilityChangedHandler.class.getName());

    private final ProductIndex index;

    AvailabilityChangedHandler(ProductIndex index) {
        super("index", List.of(TYPE));
        this.index = index;
    }

    @Override
    public boolean everyReplica() {
        return true; // each replica keeps its own index
    }

    @Override
    public void apply(DbTransaction tx, CloudEvent event) {
        JsonNode data = event.data();
        Optional<UUID> id = Params.parseId(data == null ? "" : data.path("productId").asText(""));
        if (id.isEmpty() || !data.path("inStock").isBoolean() || !data.path("version").canConvertToExactIntegral()
                || data.path("version").asLong() < 1) {
            LOG.log(System.Logger.Level.WARNING, "search: ignoring an availability event without productId, inStock and version: " + event.id());
            return; // redelivering it would not mend it
        }
        try {
            if (index.stock(id.get(), data.path("inStock").asBoolean(), data.path("version").asLong())) {
                index.refresh();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
