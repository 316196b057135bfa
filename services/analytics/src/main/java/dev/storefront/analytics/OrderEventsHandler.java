package dev.storefront.analytics;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.events.EventHandler;
import dev.storefront.common.web.Params;
import io.helidon.dbclient.DbTransaction;

/**
 * Sales: order's confirmed (a purchase: orders, revenue, each line's product) and cancelled, payment's
 * refunded (each takes the confirmed order back out, once, and is counted itself). Revenue is what
 * the order's lines and total said at confirmation; a refund reverses the whole order.
 */
final class OrderEventsHandler extends EventHandler {
    private final AnalyticsRepository repo;

    OrderEventsHandler(AnalyticsRepository repo) {
        super("orders", List.of("storefront.order.confirmed", "storefront.order.cancelled", "storefront.payment.refunded"));
        this.repo = repo;
    }

    @Override
    public void apply(DbTransaction tx, CloudEvent event) {
        JsonNode data = event.data();
        if (data == null) {
            return;
        }
        Instant at = event.time() == null ? Instant.now() : event.time();
        switch (event.type()) {
            case "storefront.order.confirmed" -> {
                var orderId = Params.parseId(data.path("id").asText(""));
                if (orderId.isEmpty()) {
                    return;
                }
                List<AnalyticsRepository.Line> lines = new ArrayList<>();
                for (JsonNode item : data.path("items")) {
                    var product = Params.parseId(item.path("productId").asText(""));
                    if (product.isPresent()) {
                        int quantity = item.path("quantity").asInt(0);
                        BigDecimal lineTotal = item.hasNonNull("lineTotal") ? item.get("lineTotal").decimalValue()
                                : item.path("unitPrice").decimalValue().multiply(BigDecimal.valueOf(quantity));
                        lines.add(new AnalyticsRepository.Line(product.get(), quantity, lineTotal));
                    }
                }
                BigDecimal total = data.hasNonNull("total") ? data.get("total").decimalValue()
                        : lines.stream().map(AnalyticsRepository.Line::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
                repo.orderConfirmed(tx, event.id(), orderId.get(), Params.parseId(data.path("userId").asText("")).orElse(null),
                        at, total, lines);
            }
            case "storefront.order.cancelled" -> Params.parseId(data.path("id").asText(""))
                    .ifPresent(id -> repo.orderReversed(tx, event.id(), id, at, false,
                            data.hasNonNull("total") ? data.get("total").decimalValue() : null));
            case "storefront.payment.refunded" -> Params.parseId(data.path("orderId").asText(""))
                    .ifPresent(id -> repo.orderReversed(tx, event.id(), id, at, true,
                            data.hasNonNull("amount") ? data.get("amount").decimalValue() : null));
            default -> {
                // not subscribed
            }
        }
    }
}
