package dev.storefront.payment;

import java.util.UUID;

import dev.storefront.common.web.Validator;

/** Body of POST /internal/payments/refund. */
public record RefundRequest(UUID orderId) {
    public void validate() {
        new Validator().required("orderId", orderId).throwIfInvalid();
    }
}
