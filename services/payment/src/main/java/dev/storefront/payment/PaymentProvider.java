package dev.storefront.payment;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.UUID;

import io.helidon.config.Config;

/**
 * Where money actually moves. Every call is idempotent on the provider's side: the same
 * idempotency key returns the first outcome, so a charge re-sent after a timeout or a crash
 * never charges twice.
 */
public interface PaymentProvider {

    /** What to charge; {@code idempotencyKey} is "charge-" + order id. */
    record ChargeCommand(String idempotencyKey, UUID orderId, UUID userId, BigDecimal amount, String currency,
                         String paymentMethod) {
        /** The amount in the currency's minor unit (cents), as providers want it. */
        public long minorUnits() {
            int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
            return amount.movePointRight(digits).longValueExact();
        }
    }

    enum Outcome {
        SUCCEEDED, DECLINED,
        /** accepted but not final yet: a webhook or a later retrieve settles it */
        PROCESSING
    }

    record ChargeResult(Outcome outcome, String providerPaymentId, String failureReason) {
    }

    record RefundResult(String providerRefundId) {
    }

    /** The provider could not be reached or answered with a transient error: try again later. */
    final class UnavailableException extends RuntimeException {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** simulated or stripe. */
    String name();

    ChargeResult charge(ChargeCommand command);

    /** The current state of a charge the provider already knows by its id. */
    ChargeResult retrieve(String providerPaymentId);

    /** Refunds a whole charge; the same key refunds once. */
    RefundResult refund(String idempotencyKey, UUID orderId, String providerPaymentId);

    /** The provider {@code storefront.payment.provider} names (simulated by default). */
    static PaymentProvider fromConfig(Config config) {
        String name = config.get("storefront.payment.provider").asString().orElse("simulated");
        return switch (name) {
            case "simulated" -> new SimulatedProvider(config.get("storefront.payment.simulated"));
            case "stripe" -> new StripeProvider(config);
            default -> throw new IllegalStateException("storefront.payment.provider must be simulated or stripe, not " + name);
        };
    }
}
