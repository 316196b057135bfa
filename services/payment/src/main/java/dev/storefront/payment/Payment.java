package dev.storefront.payment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One order's payment, as the wire contract shows it. {@code paymentMethod} is the provider's
 * token (pm_...), kept so that an interrupted charge can be re-sent with identical parameters;
 * it never leaves the service.
 */
public record Payment(UUID id, UUID orderId, UUID userId, BigDecimal amount, String currency, Status status,
                      String provider, String providerPaymentId, String failureReason, Instant createdAt,
                      @JsonIgnore String paymentMethod) {

    public enum Status {
        PENDING, COMPLETED, FAILED, REFUNDED
    }

    /** The Stripe idempotency key of this order's charge (also used by the simulated provider). */
    public String chargeKey() {
        return "charge-" + orderId;
    }

    public String refundKey() {
        return "refund-" + orderId;
    }
}
