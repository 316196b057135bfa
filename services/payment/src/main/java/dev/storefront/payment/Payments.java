package dev.storefront.payment;

import dev.storefront.common.tracing.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.ErrorCode;
import dev.storefront.payment.PaymentProvider.ChargeCommand;
import dev.storefront.payment.PaymentProvider.ChargeResult;
import dev.storefront.payment.PaymentProvider.RefundResult;
import io.helidon.dbclient.DbExecute;

/**
 * Charges and refunds, idempotent by order id. A charge is first recorded PENDING (one row per
 * order), then one request at a time — the holder of a short lease on the row — asks the provider
 * with the order's idempotency key and records the outcome. Concurrent and retried requests wait
 * for that outcome; after a crash the next request re-asks the provider with the same key, which
 * answers with the first charge instead of making a second.
 */
public final class Payments {
    private static final System.Logger LOG = System.getLogger(Payments.class.getName());

    private final ServiceContext ctx;
    private final PaymentRepository repo;
    private final PaymentProvider provider;
    private final Duration lease;
    private final Duration wait;

    public Payments(ServiceContext ctx, PaymentRepository repo, PaymentProvider provider) {
        this.ctx = ctx;
        this.repo = repo;
        this.provider = provider;
        var config = ctx.config().get("storefront.payment");
        this.lease = Duration.ofMillis(config.get("lease-ms").asLong().orElse(60_000L));
        // below the callers' 5 s timeout, so a waiting retry answers before it gives up
        this.wait = Duration.ofMillis(config.get("wait-ms").asLong().orElse(4_000L));
    }

    /** Charges an order once; answers its payment, or 402 with the declined payment as data. */
    public Payment charge(ChargeRequest request) {
        request.validate();
        repo.insertPending(request, provider.name());
        Payment payment = repo.byOrder(request.orderId()).orElseThrow();
        if (!request.sameTermsAs(payment)) {
            throw ApiException.conflict("Order " + request.orderId() + " was already charged with different terms");
        }
        return answer(settle(payment));
    }

    /** Refunds an order's completed payment once; a refunded one is answered as it is. */
    public Payment refund(UUID orderId) {
        Payment payment = repo.byOrder(orderId).orElseThrow(() -> ApiException.notFound("Payment"));
        payment = settle(payment);
        return switch (payment.status()) {
            case REFUNDED -> payment;
            case COMPLETED -> refundCompleted(payment);
            default -> throw new ApiException(ErrorCode.CONFLICT, "The payment of order " + orderId + " is "
                    + payment.status() + ": there is nothing to refund", List.of(), payment, null);
        };
    }

    /** On an order cancelled: give the money back if it was taken (settling an in-flight charge first). */
    public void onOrderCancelled(UUID orderId) {
        Optional<Payment> payment = repo.byOrder(orderId);
        if (payment.isEmpty()) {
            return;
        }
        Payment settled = settle(payment.get());
        if (settled.status() == Payment.Status.COMPLETED) {
            refundCompleted(settled);
            LOG.log(Level.INFO, "Refunded the payment of cancelled order " + orderId);
        }
    }

    private Payment refundCompleted(Payment payment) {
        RefundResult refund;
        try {
            refund = Tracing.inSpan("payment refund", SpanKind.CLIENT, null,
                    () -> provider.refund(payment.refundKey(), payment.orderId(), payment.providerPaymentId()));
        } catch (PaymentProvider.UnavailableException e) {
            LOG.log(Level.WARNING, "Refund of order " + payment.orderId() + " failed: " + e.getMessage());
            throw ApiException.unavailable("The payment provider is unavailable; retry the refund");
        }
        return move(payment, Payment.Status.COMPLETED, Payment.Status.REFUNDED, null, null, refund.providerRefundId());
    }

    /** Resolves a PENDING payment (asking the provider or waiting for whoever is); others as they are. */
    private Payment settle(Payment payment) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (payment.status() == Payment.Status.PENDING) {
            Optional<Payment> claimed = repo.claim(payment.orderId(), lease);
            if (claimed.isPresent()) {
                return askProvider(claimed.get());
            }
            if (System.nanoTime() > deadline) {
                throw ApiException.unavailable("The charge of order " + payment.orderId() + " is still in progress; retry");
            }
            sleep();
            payment = repo.byOrder(payment.orderId()).orElseThrow();
        }
        return payment;
    }

    private Payment askProvider(Payment payment) {
        ChargeResult result;
        try {
            // the outbound call to the provider (Stripe, or the simulated one): a client span
            result = payment.providerPaymentId() != null
                    ? Tracing.inSpan("payment retrieve", SpanKind.CLIENT, null, () -> provider.retrieve(payment.providerPaymentId()))
                    : Tracing.inSpan("payment charge", SpanKind.CLIENT, null, () -> provider.charge(new ChargeCommand(
                            payment.chargeKey(), payment.orderId(), payment.userId(),
                            payment.amount(), payment.currency(), payment.paymentMethod())));
        } catch (RuntimeException e) {
            repo.release(payment.id(), null);
            LOG.log(Level.WARNING, "Charge of order " + payment.orderId() + " not settled: " + e.getMessage());
            throw ApiException.unavailable("The payment provider is unavailable; retry");
        }
        return switch (result.outcome()) {
            case SUCCEEDED -> move(payment, Payment.Status.PENDING, Payment.Status.COMPLETED, result.providerPaymentId(), null, null);
            case DECLINED -> move(payment, Payment.Status.PENDING, Payment.Status.FAILED, result.providerPaymentId(),
                    result.failureReason(), null);
            case PROCESSING -> {
                repo.release(payment.id(), result.providerPaymentId());
                throw ApiException.unavailable("The charge of order " + payment.orderId() + " is processing; retry");
            }
        };
    }

    /** One conditional status change and its event, in one transaction; the current row when someone was first. */
    Payment move(Payment payment, Payment.Status from, Payment.Status to, String providerPaymentId, String failureReason,
                 String providerRefundId) {
        return ctx.db().inTransaction(tx -> moveIn(tx, payment, from, to, providerPaymentId, failureReason, providerRefundId)
                .orElseGet(() -> repo.byOrder(tx, payment.orderId()).orElseThrow()));
    }

    /** The status change inside the caller's transaction, with its event; empty when the row was not in {@code from}. */
    Optional<Payment> moveIn(DbExecute tx, Payment payment, Payment.Status from, Payment.Status to, String providerPaymentId,
                             String failureReason, String providerRefundId) {
        Optional<Payment> moved = repo.transition(tx, payment.id(), from, to, providerPaymentId, failureReason, providerRefundId);
        moved.ifPresent(p -> ctx.outbox().append(tx, eventType(to), p));
        return moved;
    }

    private static String eventType(Payment.Status status) {
        return switch (status) {
            case COMPLETED -> "storefront.payment.succeeded";
            case FAILED -> "storefront.payment.failed";
            case REFUNDED -> "storefront.payment.refunded";
            case PENDING -> throw new IllegalArgumentException("no event for PENDING");
        };
    }

    /** The charge's answer: the payment when completed, else the matching error carrying it. */
    private static Payment answer(Payment payment) {
        return switch (payment.status()) {
            case COMPLETED -> payment;
            case FAILED -> throw new ApiException(ErrorCode.PAYMENT_FAILED, "Payment declined: " + payment.failureReason(),
                    List.of(), payment, null);
            case REFUNDED -> throw new ApiException(ErrorCode.CONFLICT, "The payment of order " + payment.orderId()
                    + " has been refunded", List.of(), payment, null);
            case PENDING -> throw ApiException.unavailable("The charge of order " + payment.orderId() + " is still in progress; retry");
        };
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted");
        }
    }
}
