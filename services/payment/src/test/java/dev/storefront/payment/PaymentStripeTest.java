package dev.storefront.payment;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.storefront.common.db.Database;
import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.common.testing.TestHttp;
import dev.storefront.common.testing.TestHttp.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.storefront.payment.PaymentSimulatedTest.charge;
import static dev.storefront.payment.PaymentSimulatedTest.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The stripe provider (stripe-java) against a local stand-in of Stripe, and signed webhooks. */
class PaymentStripeTest {
    private static final String WEBHOOK_SECRET = "whsec_test_" + UUID.randomUUID();
    private static final StripeStandIn STRIPE = new StripeStandIn();
    @RegisterExtension
    static final ServiceFixture<PaymentModule> PAYMENT = ServiceFixture.of("payment", PaymentModule::create)
            .set("storefront.payment.provider", "stripe")
            .set("storefront.payment.stripe.secret-key", "sk_test_standin")
            .neighbourAt("storefront.payment.stripe.api-base", STRIPE.server)
            .set("storefront.payment.stripe.webhook-secret", WEBHOOK_SECRET)
            .set("storefront.payment.stripe.max-network-retries", "0");
    private static final TestHttp http = PAYMENT.http();
    private static final String service = PAYMENT.service("checkout");


    @Test
    void chargeSendsMinorUnitsAndTheOrdersIdempotencyKey() {
        UUID orderId = UUID.randomUUID();
        Reply reply = http.post("/internal/payments/charge", service, charge(orderId, UUID.randomUUID(), new BigDecimal("19.99"), "pm_card_visa"));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.data().path("status").asText()).isEqualTo("COMPLETED");
        assertThat(reply.data().path("provider").asText()).isEqualTo("stripe");
        assertThat(reply.data().path("providerPaymentId").asText()).startsWith("pi_");

        StripeStandIn.Received sent = STRIPE.calls("POST", "/v1/payment_intents").stream()
                .filter(r -> orderId.toString().equals(r.form().get("metadata[orderId]"))).findFirst().orElseThrow();
        assertThat(sent.idempotencyKey()).isEqualTo("charge-" + orderId);
        assertThat(sent.form()).containsEntry("amount", "1999").containsEntry("currency", "usd")
                .containsEntry("payment_method", "pm_card_visa").containsEntry("confirm", "true");

        Map<String, Object> yen = charge(UUID.randomUUID(), UUID.randomUUID(), 1500, "pm_card_visa");
        yen.put("currency", "JPY");
        assertThat(http.post("/internal/payments/charge", service, yen).status()).isEqualTo(200);
        assertThat(STRIPE.calls("POST", "/v1/payment_intents").getLast().form()).containsEntry("amount", "1500")
                .containsEntry("currency", "jpy");
    }

    @Test
    void aCardErrorIsA402WithStripesDeclineCode() {
        UUID orderId = UUID.randomUUID();
        Reply reply = http.post("/internal/payments/charge", service,
                charge(orderId, UUID.randomUUID(), new BigDecimal("5.00"), "pm_card_chargeDeclinedInsufficientFunds"));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(402);
        assertThat(reply.data().path("failureReason").asText()).isEqualTo("insufficient_funds");
        assertThat(reply.data().path("providerPaymentId").asText()).startsWith("pi_");
    }

    @Test
    void aProcessingChargeIsSettledByRetrievingTheIntentNotByChargingAgain() {
        UUID orderId = UUID.randomUUID();
        UUID userId = UUID.randomUUID();
        Reply processing = http.post("/internal/payments/charge", service, charge(orderId, userId, new BigDecimal("8.00"), "pm_card_processing"));
        assertThat(processing.status()).as(processing.toString()).isEqualTo(503);
        String pi = Database.one(PAYMENT.module().context().db().execute(), "SELECT provider_payment_id FROM payments WHERE order_id = ?",
                r -> r.column(1).get(String.class), orderId).orElseThrow();

        STRIPE.settle(pi, "succeeded");
        Reply retry = http.post("/internal/payments/charge", service, charge(orderId, userId, new BigDecimal("8.00"), "pm_card_processing"));
        assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
        assertThat(STRIPE.calls("POST", "/v1/payment_intents").stream()
                .filter(r -> ("charge-" + orderId).equals(r.idempotencyKey())).count()).isEqualTo(1);
        assertThat(STRIPE.calls("GET", "/v1/payment_intents/" + pi)).hasSize(1);
    }

    @Test
    void aChargeInterruptedByACrashIsResolvedWithTheSameIdempotencyKeyNotChargedTwice() throws Exception {
        UUID orderId = UUID.randomUUID();
        UUID userId = UUID.randomUUID();
        // before the crash: the row was recorded PENDING and Stripe charged, but the outcome was never written
        try (var c = PAYMENT.jdbc(); var st = c.prepareStatement("""
                INSERT INTO payments (id, order_id, user_id, amount, currency, payment_method, status, provider, idempotency_key,
                                      locked_until) VALUES (?, ?, ?, 14.00, 'USD', 'pm_card_visa', 'PENDING', 'stripe', ?, now() - interval '1 second')""")) {
            st.setObject(1, UUID.randomUUID());
            st.setObject(2, orderId);
            st.setObject(3, userId);
            st.setString(4, "charge-" + orderId);
            st.executeUpdate();
        }
        PaymentProvider.ChargeResult charged = PAYMENT.module().provider().charge(new PaymentProvider.ChargeCommand(
                "charge-" + orderId, orderId, userId, new BigDecimal("14.00"), "USD", "pm_card_visa"));

        Reply retry = http.post("/internal/payments/charge", service, charge(orderId, userId, new BigDecimal("14.00"), "pm_card_visa"));
        assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
        assertThat(retry.data().path("providerPaymentId").asText()).isEqualTo(charged.providerPaymentId());
        assertThat(STRIPE.calls("POST", "/v1/payment_intents").stream()
                .filter(r -> ("charge-" + orderId).equals(r.idempotencyKey())).count()).isEqualTo(2); // replayed, not re-charged
    }

    @Test
    void refundSendsItsOwnIdempotencyKeyOnce() {
        UUID orderId = UUID.randomUUID();
        Reply charged = http.post("/internal/payments/charge", service, charge(orderId, UUID.randomUUID(), new BigDecimal("25.00"), "pm_card_visa"));
        String pi = charged.data().path("providerPaymentId").asText();
        assertThat(http.post("/internal/payments/refund", service, Map.of("orderId", orderId)).data().path("status").asText())
                .isEqualTo("REFUNDED");
        assertThat(http.post("/internal/payments/refund", service, Map.of("orderId", orderId)).data().path("status").asText())
                .isEqualTo("REFUNDED");
        List<StripeStandIn.Received> refunds = STRIPE.calls("POST", "/v1/refunds").stream()
                .filter(r -> pi.equals(r.form().get("payment_intent"))).toList();
        assertThat(refunds).hasSize(1);
        assertThat(refunds.getFirst().idempotencyKey()).isEqualTo("refund-" + orderId);
    }

    @Test
    void aSignedWebhookIsAppliedOnceAndABadSignatureIsRefused() throws Exception {
        UUID orderId = UUID.randomUUID();
        Reply charged = http.post("/internal/payments/charge", service, charge(orderId, UUID.randomUUID(), new BigDecimal("11.00"), "pm_card_visa"));
        String pi = charged.data().path("providerPaymentId").asText();
        String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
        String payload = "{\"id\":\"" + eventId + "\",\"object\":\"event\",\"type\":\"charge.refunded\",\"livemode\":false,"
                + "\"created\":1700000000,\"data\":{\"object\":{\"id\":\"ch_1\",\"object\":\"charge\",\"payment_intent\":\"" + pi
                + "\",\"refunded\":true,\"refunds\":{\"object\":\"list\",\"data\":[{\"id\":\"re_hook\",\"object\":\"refund\"}]}}}}";

        Reply forged = webhook(payload, sign(payload, "whsec_wrong"));
        assertThat(forged.status()).isEqualTo(400);
        Reply unsigned = http.send("POST", "/api/payments/webhook", null, payload, Map.of("Content-Type", "application/json"));
        assertThat(unsigned.status()).isEqualTo(400);
        Reply tampered = webhook(payload.replace("ch_1", "ch_2"), sign(payload, WEBHOOK_SECRET));
        assertThat(tampered.status()).isEqualTo(400);
        assertThat(http.get("/internal/payments/by-order/" + orderId, service).data().path("status").asText()).isEqualTo("COMPLETED");

        Reply first = webhook(payload, sign(payload, WEBHOOK_SECRET));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.data().path("duplicate").asBoolean()).isFalse();
        Reply again = webhook(payload, sign(payload, WEBHOOK_SECRET));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.data().path("duplicate").asBoolean()).isTrue();
        assertThat(http.get("/internal/payments/by-order/" + orderId, service).data().path("status").asText()).isEqualTo("REFUNDED");

        await().atMost(Duration.ofSeconds(10)).until(() -> events(PAYMENT.module(), "storefront.payment.refunded", orderId).size() == 1);
        Thread.sleep(300);
        assertThat(events(PAYMENT.module(), "storefront.payment.refunded", orderId)).hasSize(1);
    }

    @Test
    void aPaymentIntentSucceededWebhookCompletesAProcessingPayment() {
        UUID orderId = UUID.randomUUID();
        http.post("/internal/payments/charge", service, charge(orderId, UUID.randomUUID(), new BigDecimal("3.00"), "pm_card_processing"));
        String pi = Database.one(PAYMENT.module().context().db().execute(), "SELECT provider_payment_id FROM payments WHERE order_id = ?",
                r -> r.column(1).get(String.class), orderId).orElseThrow();
        String payload = "{\"id\":\"evt_" + UUID.randomUUID().toString().replace("-", "") + "\",\"object\":\"event\","
                + "\"type\":\"payment_intent.succeeded\",\"data\":{\"object\":{\"id\":\"" + pi + "\",\"object\":\"payment_intent\","
                + "\"status\":\"succeeded\",\"metadata\":{\"orderId\":\"" + orderId + "\"}}}}";
        assertThat(webhook(payload, sign(payload, WEBHOOK_SECRET)).status()).isEqualTo(200);
        assertThat(http.get("/internal/payments/by-order/" + orderId, service).data().path("status").asText()).isEqualTo("COMPLETED");
    }

    private static Reply webhook(String payload, String signature) {
        return http.send("POST", "/api/payments/webhook", null, payload,
                Map.of("Content-Type", "application/json", "Stripe-Signature", signature));
    }

    /** What Stripe sends: t=<seconds>,v1=hex(HMAC-SHA256(secret, "<t>.<payload>")). */
    private static String sign(String payload, String secret) {
        try {
            long t = System.currentTimeMillis() / 1000;
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String v1 = HexFormat.of().formatHex(mac.doFinal((t + "." + payload).getBytes(StandardCharsets.UTF_8)));
            return "t=" + t + ",v1=" + v1;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
