package dev.storefront.checkout;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** The contract's Checkout resource; {@code shortages} only on an out-of-stock outcome. */
record CheckoutView(UUID id, UUID orderId, UUID transactionId, String status, String failureReason, Instant createdAt,
                    @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode shortages) {

    static CheckoutView of(Saga s) {
        JsonNode shortages = s.status() == Saga.Status.OUT_OF_STOCK && s.failureDetails() != null
                ? s.failureDetails().path("shortages") : null;
        return new CheckoutView(s.id(), s.orderId(), s.transactionId(), s.status().name(), s.failureReason(),
                s.createdAt(), shortages);
    }
}
