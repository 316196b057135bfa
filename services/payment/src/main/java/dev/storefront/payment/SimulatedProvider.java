package dev.storefront.payment;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.config.Config;

/**
 * A stand-in for Stripe in local runs and tests, taking the same inputs: Stripe's test payment
 * method ids. {@code pm_card_visa} and any other {@code pm_card_*} succeed; the
 * {@code pm_card_chargeDeclined*} ids decline with Stripe's decline codes; the configured
 * {@code timeout-method} (pm_card_timeout) answers only after {@code timeout-delay-ms}, past a
 * caller's timeout, and then succeeds. Like Stripe, it remembers idempotency keys (in memory).
 */
public final class SimulatedProvider implements PaymentProvider {
    /** Stripe's declining test payment methods and the decline code each one produces. */
    private static final Map<String, String> DECLINES = Map.of(
            "pm_card_chargeDeclined", "generic_decline",
            "pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds",
            "pm_card_chargeDeclinedExpiredCard", "expired_card",
            "pm_card_chargeDeclinedLostCard", "lost_card",
            "pm_card_chargeDeclinedStolenCard", "stolen_card",
            "pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc",
            "pm_card_chargeDeclinedProcessingError", "processing_error",
            "pm_card_chargeDeclinedFraudulent", "fraudulent");

    private final String timeoutMethod;
    private final Duration timeoutDelay;
    private final Map<String, CompletableFuture<ChargeResult>> charges = new ConcurrentHashMap<>();
    private final Map<String, ChargeResult> byPaymentId = new ConcurrentHashMap<>();
    private final Map<String, RefundResult> refunds = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> chargeCalls = new ConcurrentHashMap<>();
    private final AtomicInteger refundCalls = new AtomicInteger();

    public SimulatedProvider(Config config) {
        this.timeoutMethod = config.get("timeout-method").asString().orElse("pm_card_timeout");
        this.timeoutDelay = Duration.ofMillis(config.get("timeout-delay-ms").asLong().orElse(8_000L));
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public ChargeResult charge(ChargeCommand command) {
        CompletableFuture<ChargeResult> mine = new CompletableFuture<>();
        CompletableFuture<ChargeResult> first = charges.putIfAbsent(command.idempotencyKey(), mine);
        if (first != null) {
            return first.join(); // a replay: the first request's outcome
        }
        chargeCalls.computeIfAbsent(command.idempotencyKey(), k -> new AtomicInteger()).incrementAndGet();
        String method = command.paymentMethod();
        if (method.equals(timeoutMethod)) {
            try {
                Thread.sleep(timeoutDelay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String paymentId = "pi_sim_" + UUID.randomUUID().toString().replace("-", "");
        String decline = DECLINES.get(method);
        ChargeResult result;
        if (decline != null) {
            result = new ChargeResult(Outcome.DECLINED, paymentId, decline);
        } else if (method.startsWith("pm_card_")) {
            result = new ChargeResult(Outcome.SUCCEEDED, paymentId, null);
        } else {
            result = new ChargeResult(Outcome.DECLINED, null, "payment_method_not_found");
        }
        if (result.providerPaymentId() != null) {
            byPaymentId.put(paymentId, result);
        }
        mine.complete(result);
        return result;
    }

    @Override
    public ChargeResult retrieve(String providerPaymentId) {
        ChargeResult known = byPaymentId.get(providerPaymentId);
        if (known == null) {
            throw new UnavailableException("unknown simulated payment " + providerPaymentId, null);
        }
        return known;
    }

    @Override
    public RefundResult refund(String idempotencyKey, UUID orderId, String providerPaymentId) {
        return refunds.computeIfAbsent(idempotencyKey, k -> {
            refundCalls.incrementAndGet();
            return new RefundResult("re_sim_" + UUID.randomUUID().toString().replace("-", ""));
        });
    }

    /** How many times a charge with this key really ran (replays not counted). */
    public int chargeCalls(String idempotencyKey) {
        AtomicInteger n = chargeCalls.get(idempotencyKey);
        return n == null ? 0 : n.get();
    }

    public int refundCalls() {
        return refundCalls.get();
    }
}
