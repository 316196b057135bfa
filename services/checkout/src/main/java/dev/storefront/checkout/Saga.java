package dev.storefront.checkout;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** One checkout as the saga table holds it. */
record Saga(UUID id, UUID userId, String idempotencyKey, String requestHash, String paymentMethod,
            OrderDraft draft, BigDecimal amount, String currency, Step step, Action action, Status status,
            UUID orderId, UUID transactionId, boolean charged, String failureReason, JsonNode failureDetails,
            int attempts, UUID leaseToken, Instant lockedUntil, Instant createdAt) {

    /** The last step that finished. COMPLETED and COMPENSATED are the ends. */
    enum Step {
        CREATED, ORDER_CREATED, STOCK_RESERVED, PAYMENT_CHARGED, COMPLETED, COMPENSATING, COMPENSATED;

        boolean finished() {
            return this == COMPLETED || this == COMPENSATED;
        }
    }

    /** The call a step started; recorded before it is made, cleared when its result is recorded. */
    enum Action {
        CREATE_ORDER, RESERVE_STOCK, CHARGE, CONFIRM_ORDER, COMMIT_STOCK, CLEAR_CART, REFUND, RELEASE_STOCK, CANCEL_ORDER
    }

    /** What the shopper is told (the contract's Checkout status). */
    enum Status {
        IN_PROGRESS, COMPLETED, OUT_OF_STOCK, PAYMENT_FAILED, COMPENSATED
    }

    boolean decided() {
        return status != Status.IN_PROGRESS;
    }
}
