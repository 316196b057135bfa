package dev.storefront.payment;

import java.util.Locale;
import java.util.UUID;

import com.stripe.StripeClient;
import com.stripe.exception.CardException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.StripeError;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import io.helidon.config.Config;

/**
 * Stripe through stripe-java: a PaymentIntent created and confirmed in one call with the
 * order's idempotency key (Stripe replays the first answer for a repeated key), retrieved when
 * a charge was left processing, and refunded with its own key. Config
 * {@code storefront.payment.stripe.*}: secret-key, api-base (tests point it at a local stand-in),
 * connect-timeout-ms, read-timeout-ms, max-network-retries.
 */
public final class StripeProvider implements PaymentProvider {
    private final StripeClient client;

    public StripeProvider(Config root) {
        Config config = root.get("storefront.payment.stripe");
        String key = config.get("secret-key").asString()
                .or(() -> root.get("STRIPE_SECRET_KEY").asString().asOptional())
                .orElseThrow(() -> new IllegalStateException(
                        "storefront.payment.provider=stripe needs storefront.payment.stripe.secret-key (STRIPE_SECRET_KEY)"));
        StripeClient.StripeClientBuilder builder = StripeClient.builder()
                .setApiKey(key)
                .setConnectTimeout(config.get("connect-timeout-ms").asInt().orElse(5_000))
                .setReadTimeout(config.get("read-timeout-ms").asInt().orElse(20_000))
                // stripe-java re-sends with the same idempotency key, so its own retries are safe
                .setMaxNetworkRetries(config.get("max-network-retries").asInt().orElse(2));
        config.get("api-base").asString().ifPresent(builder::setApiBase);
        this.client = builder.build();
    }

    @Override
    public String name() {
        return "stripe";
    }

    @Override
    public ChargeResult charge(ChargeCommand command) {
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder()
                .setAmount(command.minorUnits())
                .setCurrency(command.currency().toLowerCase(Locale.ROOT))
                .setPaymentMethod(command.paymentMethod())
                .setConfirm(true)
                .setAutomaticPaymentMethods(PaymentIntentCreateParams.AutomaticPaymentMethods.builder()
                        .setEnabled(true)
                        .setAllowRedirects(PaymentIntentCreateParams.AutomaticPaymentMethods.AllowRedirects.NEVER)
                        .build())
                .putMetadata("orderId", command.orderId().toString())
                .putMetadata("userId", command.userId().toString())
                .build();
        try {
            return fromIntent(client.v1().paymentIntents().create(params, keyed(command.idempotencyKey())));
        } catch (CardException e) {
            StripeError error = e.getStripeError();
            String intentId = error != null && error.getPaymentIntent() != null ? error.getPaymentIntent().getId() : null;
            return new ChargeResult(Outcome.DECLINED, intentId, firstNonNull(e.getDeclineCode(), e.getCode(), "card_declined"));
        } catch (InvalidRequestException e) {
            if (e.getStatusCode() != null && e.getStatusCode() == 409) {
                throw unavailable(e); // the same key is still being processed by Stripe
            }
            // e.g. an unknown payment method: final for this key, Stripe would answer the same again
            return new ChargeResult(Outcome.DECLINED, null, firstNonNull(e.getCode(), "invalid_request", null));
        } catch (StripeException e) {
            throw unavailable(e);
        }
    }

    @Override
    public ChargeResult retrieve(String providerPaymentId) {
        try {
            return fromIntent(client.v1().paymentIntents().retrieve(providerPaymentId));
        } catch (StripeException e) {
            throw unavailable(e);
        }
    }

    @Override
    public RefundResult refund(String idempotencyKey, UUID orderId, String providerPaymentId) {
        RefundCreateParams params = RefundCreateParams.builder()
                .setPaymentIntent(providerPaymentId)
                .putMetadata("orderId", orderId.toString())
                .build();
        try {
            Refund refund = client.v1().refunds().create(params, keyed(idempotencyKey));
            if ("failed".equals(refund.getStatus()) || "canceled".equals(refund.getStatus())) {
                throw new UnavailableException("Stripe refund " + refund.getId() + " is " + refund.getStatus(), null);
            }
            return new RefundResult(refund.getId());
        } catch (InvalidRequestException e) {
            if ("charge_already_refunded".equals(e.getCode())) {
                return new RefundResult(null);
            }
            throw unavailable(e);
        } catch (StripeException e) {
            throw unavailable(e);
        }
    }

    private static ChargeResult fromIntent(PaymentIntent intent) {
        return switch (intent.getStatus()) {
            case "succeeded" -> new ChargeResult(Outcome.SUCCEEDED, intent.getId(), null);
            case "processing" -> new ChargeResult(Outcome.PROCESSING, intent.getId(), null);
            // no customer is present to complete 3-D Secure in a server-side checkout
            case "requires_action" -> new ChargeResult(Outcome.DECLINED, intent.getId(), "authentication_required");
            default -> {
                StripeError error = intent.getLastPaymentError();
                String reason = error == null ? intent.getStatus()
                        : firstNonNull(error.getDeclineCode(), error.getCode(), intent.getStatus());
                yield new ChargeResult(Outcome.DECLINED, intent.getId(), reason);
            }
        };
    }

    private static RequestOptions keyed(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    private static UnavailableException unavailable(StripeException e) {
        // the message is Stripe's, which never contains card data
        return new UnavailableException("Stripe: " + e.getClass().getSimpleName() + " " + e.getStatusCode() + " " + e.getCode(), e);
    }

    private static String firstNonNull(String a, String b, String c) {
        return a != null ? a : b != null ? b : c;
    }
}
