package dev.storefront.payment;

import java.util.List;

import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.events.EventHandler;
import dev.storefront.common.web.Params;
import io.helidon.dbclient.DbTransaction;

/** A cancelled order that had been paid gets its money back (refunds are idempotent per order). */
final class OrderCancelledHandler extends EventHandler {
    private final Payments payments;

    OrderCancelledHandler(Payments payments) {
        super("refunds", List.of("storefront.order.cancelled"));
        this.payments = payments;
    }

    @Override
    public void apply(DbTransaction tx, CloudEvent event) {
        Params.parseId(event.data().path("id").asText(null)).ifPresent(payments::onOrderCancelled);
    }
}
