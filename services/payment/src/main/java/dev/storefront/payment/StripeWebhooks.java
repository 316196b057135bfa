package dev.storefront.payment;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Json;
import io.helidon.dbclient.DbExecute;

/**
 * Stripe's webhook: the signature is verified with the endpoint secret
 * ({@code storefront.payment.stripe.webhook-secret}), the event id is recorded so that a
 * redelivery is applied once, and payment_intent.succeeded / payment_intent.payment_failed /
 * charge.refunded settle the matching payment with the same conditional updates as the API.
 */
public final class StripeWebhooks {
    private static final System.Logger LOG = System.getLogger(StripeWebhooks.class.getName());

    private final ServiceContext ctx;
    private final PaymentRepository repo;
    private final Payments payments;
    private final String secret;

    public StripeWebhooks(ServiceContext ctx, PaymentRepository repo, Payments payments) {
        this.ctx = ctx;
        this.repo = repo;
        this.payments = payments;
        this.secret = ctx.config().get("storefront.payment.stripe.webhook-secret").asString()
                .or(() -> ctx.config().get("STRIPE_WEBHOOK_SECRET").asString().asOptional())
                .orElse(null);
    }

    /** What became of a delivery: applied, or a duplicate of one already applied. */
    public record Receipt(String eventId, String type, boolean duplicate) {
    }

    public Receipt receive(byte[] body, String signature) {
        if (secret == null) {
            throw ApiException.badRequest("Webhooks are not configured (no webhook secret)");
        }
        if (signature == null || signature.isBlank()) {
            throw ApiException.badRequest("Missing Stripe-Signature header");
        }
        String payload = new String(body, StandardCharsets.UTF_8);
        Event event;
        JsonNode object;
        try {
            event = Webhook.constructEvent(payload, signature, secret);
            object = Json.mapper().readTree(payload).path("data").path("object");
        } catch (SignatureVerificationException e) {
            throw ApiException.badRequest("Invalid webhook signature");
        } catch (Exception e) {
            throw ApiException.badRequest("Malformed webhook payload");
        }
        if (event.getId() == null || event.getType() == null) {
            throw ApiException.badRequest("Malformed webhook payload");
        }
        boolean fresh = ctx.db().inTransaction(tx -> {
            if (!repo.recordWebhookEvent(tx, event.getId(), event.getType())) {
                return false;
            }
            apply(tx, event.getType(), object);
            return true;
        });
        return new Receipt(event.getId(), event.getType(), !fresh);
    }

    private void apply(DbExecute tx, String type, JsonNode object) {
        switch (type) {
            case "payment_intent.succeeded" -> intentPayment(tx, object).ifPresent(p ->
                    payments.moveIn(tx, p, Payment.Status.PENDING, Payment.Status.COMPLETED, object.path("id").asText(), null, null));
            case "payment_intent.payment_failed" -> intentPayment(tx, object).ifPresent(p -> {
                JsonNode error = object.path("last_payment_error");
                String reason = error.hasNonNull("decline_code") ? error.get("decline_code").asText()
                        : error.path("code").asText("payment_failed");
                payments.moveIn(tx, p, Payment.Status.PENDING, Payment.Status.FAILED, object.path("id").asText(), reason, null);
            });
            case "charge.refunded" -> repo.byProviderPaymentId(tx, object.path("payment_intent").asText()).ifPresent(p ->
                    payments.moveIn(tx, p, Payment.Status.COMPLETED, Payment.Status.REFUNDED, null, null,
                            object.path("refunds").path("data").path(0).path("id").asText(null)));
            default -> LOG.log(Level.DEBUG, "Ignoring Stripe event type " + type);
        }
    }

    /** The payment a PaymentIntent belongs to: by its id, or by the order id we put in its metadata. */
    private Optional<Payment> intentPayment(DbExecute tx, JsonNode intent) {
        Optional<Payment> byId = repo.byProviderPaymentId(tx, intent.path("id").asText());
        if (byId.isPresent()) {
            return byId;
        }
        return dev.storefront.common.web.Params.parseId(intent.path("metadata").path("orderId").asText(null))
                .flatMap(orderId -> repo.byOrder(tx, orderId));
    }
}
