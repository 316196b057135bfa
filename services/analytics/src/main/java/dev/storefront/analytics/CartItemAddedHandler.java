package dev.storefront.analytics;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.events.EventHandler;
import dev.storefront.common.web.Params;
import io.helidon.dbclient.DbTransaction;

/** Cart's {@code storefront.cart.item_added} ({@code userId, productId, quantity}): one add_to_cart, keyed by the event id. */
final class CartItemAddedHandler extends EventHandler {
    private final AnalyticsRepository repo;

    CartItemAddedHandler(AnalyticsRepository repo) {
        super("cart", List.of("storefront.cart.item_added"));
        this.repo = repo;
    }

    @Override
    public void apply(DbTransaction tx, CloudEvent event) {
        JsonNode data = event.data();
        var product = Params.parseId(data == null ? "" : data.path("productId").asText(""));
        if (product.isEmpty()) {
            return;
        }
        var user = Params.parseId(data.path("userId").asText(""));
        int quantity = Math.max(1, data.path("quantity").asInt(1));
        repo.ingestFromBus(tx, List.of(new AnalyticsEvent(event.id(), AnalyticsEvent.ADD_TO_CART,
                event.time() == null ? Instant.now() : event.time(), "bus", user.orElse(null), null, product.get(),
                null, null, quantity, null, null, null)));
    }
}
