package dev.storefront.payment;

import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.storefront.common.db.Database;
import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.testing.OpenApiContract;
import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.common.testing.TestHttp;
import dev.storefront.common.testing.TestHttp.Reply;
import dev.storefront.common.web.Json;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Payment with the simulated provider, against real PostgreSQL and NATS. */
class PaymentSimulatedTest {
    @RegisterExtension
    static final ServiceFixture<PaymentModule> PAYMENT = ServiceFixture.of("payment", PaymentModule::create)
            .set("storefront.payment.simulated.timeout-delay-ms", "1500");
    private static final TestHttp http = PAYMENT.http();
    private static final String service = PAYMENT.service("checkout");


    private static SimulatedProvider provider() {
        return (SimulatedProvider) PAYMENT.module().provider();
    }

    static Map<String, Object> charge(UUID orderId, UUID userId, Object amount, String method) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", orderId);
        body.put("userId", userId);
        body.put("amount", amount);
        body.put("currency", "USD");
        body.put("paymentMethod", method);
        return body;
    }

    private static long rows(UUID orderId) {
        return Database.count(PAYMENT.module().context().db().execute(), "SELECT count(*) FROM payments WHERE order_id = ?", orderId);
    }

    /** Events of one type about one order that reached the stream. */
    static List<CloudEvent> events(PaymentModule module, String type, UUID orderId) throws Exception {
        var bus = module.context().bus();
        var jsm = bus.connection().jetStreamManagement();
        long last = jsm.getStreamInfo(bus.stream()).getStreamState().getLastSequence();
        List<CloudEvent> found = new ArrayList<>();
        for (long seq = 1; seq <= last; seq++) {
            var msg = jsm.getMessage(bus.stream(), seq);
            if (msg.getSubject().equals(bus.subjectFor(type))) {
                CloudEvent e = Json.read(new String(msg.getData(), StandardCharsets.UTF_8), CloudEvent.class);
                if (e.data().path("orderId").asText().equals(orderId.toString())) {
                    found.add(e);
                }
            }
        }
        return found;
    }

    @Test
    void chargeCompletesOnceAndTheSameOrderAgainAnswersTheSamePayment() throws Exception {
        UUID orderId = UUID.randomUUID();
        UUID userId = UUID.randomUUID();
        Reply first = http.post("/internal/payments/charge", service, charge(orderId, userId, new BigDecimal("19.99"), "pm_card_visa"));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.data().path("status").asText()).isEqualTo("COMPLETED");
        assertThat(first.data().path("amount").decimalValue()).isEqualByComparingTo("19.99");
        assertThat(first.data().path("provider").asText()).isEqualTo("simulated");
        assertThat(first.data().has("paymentMethod")).isFalse();

        Reply again = http.post("/internal/payments/charge", service, charge(orderId, userId, new BigDecimal("19.99"), "pm_card_visa"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.data().path("id").asText()).isEqualTo(first.data().path("id").asText());
        assertThat(provider().chargeCalls("charge-" + orderId)).isEqualTo(1);

        Reply byOrder = http.get("/internal/payments/by-order/" + orderId, service);
        assertThat(byOrder.data().path("id").asText()).isEqualTo(first.data().path("id").asText());
        assertThat(http.get("/internal/payments/by-order/" + UUID.randomUUID(), service).status()).isEqualTo(404);

        Reply otherTerms = http.post("/internal/payments/charge", service, charge(orderId, userId, new BigDecimal("5.00"), "pm_card_visa"));
        assertThat(otherTerms.status()).isEqualTo(409);

        await().atMost(Duration.ofSeconds(10)).until(() -> events(PAYMENT.module(), "storefront.payment.succeeded", orderId).size() == 1);
    }

    @Test
    void declinedCardAnswers402WithTheReasonAndTheSameAgain() throws Exception {
        UUID orderId = UUID.randomUUID();
        UUID userId = UUID.randomUUID();
        Reply declined = http.post("/internal/payments/charge", service,
                charge(orderId, userId, new BigDecimal("10.00"), "pm_card_chargeDeclinedInsufficientFunds"));
        assertThat(declined.status()).as(declined.toString()).isEqualTo(402);
        assertThat(declined.errorCode()).isEqualTo("PAYMENT_FAILED");
        assertThat(declined.body().path("error").path("message").asText()).contains("insufficient_funds");
        assertThat(declined.data().path("status").asText()).isEqualTo("FAILED");
        assertThat(declined.data().path("failureReason").asText()).isEqualTo("insufficient_funds");

        Reply again = http.post("/internal/payments/charge", service,
                charge(orderId, userId, new BigDecimal("10.00"), "pm_card_chargeDeclinedInsufficientFunds"));
        assertThat(again.status()).isEqualTo(402);
        assertThat(again.data().path("id").asText()).isEqualTo(declined.data().path("id").asText());
        assertThat(provider().chargeCalls("charge-" + orderId)).isEqualTo(1);

        Reply expired = http.post("/internal/payments/charge", service,
                charge(UUID.randomUUID(), userId, new BigDecimal("10.00"), "pm_card_chargeDeclinedExpiredCard"));
        assertThat(expired.data().path("failureReason").asText()).isEqualTo("expired_card");
        Reply generic = http.post("/internal/payments/charge", service,
                charge(UUID.randomUUID(), userId, new BigDecimal("10.00"), "pm_card_chargeDeclined"));
        assertThat(generic.status()).isEqualTo(402);
        assertThat(http.post("/internal/payments/charge", service,
                charge(UUID.randomUUID(), userId, new BigDecimal("10.00"), "pm_card_mastercard")).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> events(PAYMENT.module(), "storefront.payment.failed", orderId).size() == 1);
    }

    @Test
    void twentyConcurrentChargesOfOneOrderMakeOneProviderCallAndOneRow() throws Exception {
        UUID orderId = UUID.randomUUID();
        UUID userId = UUID.randomUUID();
        List<Future<Reply>> replies = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                replies.add(pool.submit(() -> http.post("/internal/payments/charge", service,
                        charge(orderId, userId, new BigDecimal("42.50"), "pm_card_visa"))));
            }
        }
        String id = null;
        for (Future<Reply> f : replies) {
            Reply r = f.get();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            id = id == null ? r.data().path("id").asText() : id;
            assertThat(r.data().path("id").asText()).isEqualTo(id);
        }
        assertThat(provider().chargeCalls("charge-" + orderId)).isEqualTo(1);
        assertThat(Database.count(PAYMENT.module().context().db().execute(),
                "SELECT count(*) FROM payments WHERE order_id = ? AND status = 'COMPLETED'", orderId)).isEqualTo(1);
    }

    @Test
    void aChargeThatTimesOutIsAnsweredByTheRetryWithoutASecondCharge() throws Exception {
        UUID orderId = UUID.randomUUID();
        UUID userId = UUID.randomUUID();
        HttpClient impatient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(PAYMENT.uri().resolve("/internal/payments/charge"))
                .timeout(Duration.ofMillis(400))
                .header("Authorization", "Bearer " + service)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(charge(orderId, userId, new BigDecimal("7.00"), "pm_card_timeout"))))
                .build();
        assertThatThrownBy(() -> impatient.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);

        // the retry waits for the first attempt's outcome instead of charging again
        Reply retry = http.post("/internal/payments/charge", service, charge(orderId, userId, new BigDecimal("7.00"), "pm_card_timeout"));
        assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
        assertThat(retry.data().path("status").asText()).isEqualTo("COMPLETED");
        assertThat(provider().chargeCalls("charge-" + orderId)).isEqualTo(1);
        assertThat(rows(orderId)).isEqualTo(1);
    }

    @Test
    void refundIsIdempotentAndOnlyForCompletedPayments() throws Exception {
        UUID orderId = UUID.randomUUID();
        UUID userId = UUID.randomUUID();
        http.post("/internal/payments/charge", service, charge(orderId, userId, new BigDecimal("30.00"), "pm_card_visa"));
        int before = provider().refundCalls();
        Reply refund = http.post("/internal/payments/refund", service, Map.of("orderId", orderId));
        assertThat(refund.status()).as(refund.toString()).isEqualTo(200);
        assertThat(refund.data().path("status").asText()).isEqualTo("REFUNDED");
        Reply again = http.post("/internal/payments/refund", service, Map.of("orderId", orderId));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.data().path("status").asText()).isEqualTo("REFUNDED");
        assertThat(provider().refundCalls() - before).isEqualTo(1);
        assertThat(http.post("/internal/payments/charge", service,
                charge(orderId, userId, new BigDecimal("30.00"), "pm_card_visa")).status()).isEqualTo(409);
        await().atMost(Duration.ofSeconds(10)).until(() -> events(PAYMENT.module(), "storefront.payment.refunded", orderId).size() == 1);

        assertThat(http.post("/internal/payments/refund", service, Map.of("orderId", UUID.randomUUID())).status()).isEqualTo(404);
        UUID declined = UUID.randomUUID();
        http.post("/internal/payments/charge", service, charge(declined, userId, new BigDecimal("30.00"), "pm_card_chargeDeclined"));
        assertThat(http.post("/internal/payments/refund", service, Map.of("orderId", declined)).status()).isEqualTo(409);
    }

    @Test
    void aCancelledPaidOrderIsRefunded() throws Exception {
        UUID orderId = UUID.randomUUID();
        UUID userId = UUID.randomUUID();
        http.post("/internal/payments/charge", service, charge(orderId, userId, new BigDecimal("12.34"), "pm_card_visa"));
        CloudEvent cancelled = CloudEvent.of("order", "storefront.order.cancelled",
                Map.of("id", orderId, "userId", userId, "status", "CANCELLED", "previousStatus", "CONFIRMED"));
        var bus = PAYMENT.module().context().bus();
        bus.jetStream().publish(NatsMessage.builder().subject(bus.subjectFor(cancelled.type()))
                .data(Json.write(cancelled).getBytes(StandardCharsets.UTF_8)).build());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                http.get("/internal/payments/by-order/" + orderId, service).data().path("status").asText().equals("REFUNDED"));
        await().atMost(Duration.ofSeconds(10)).until(() -> events(PAYMENT.module(), "storefront.payment.refunded", orderId).size() == 1);
    }

    @Test
    void badInputIsA400NamingTheFieldAndCardNumbersAreNeverEchoed() {
        UUID orderId = UUID.randomUUID();
        UUID userId = UUID.randomUUID();
        Reply zero = http.post("/internal/payments/charge", service, charge(orderId, userId, 0, "pm_card_visa"));
        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.firstErrorField()).isEqualTo("amount");
        assertThat(http.post("/internal/payments/charge", service, charge(orderId, userId, new BigDecimal("1.234"), "pm_card_visa"))
                .firstErrorField()).isEqualTo("amount");
        Map<String, Object> lower = charge(orderId, userId, 5, "pm_card_visa");
        lower.put("currency", "usd");
        assertThat(http.post("/internal/payments/charge", service, lower).firstErrorField()).isEqualTo("currency");
        Map<String, Object> jpy = charge(orderId, userId, new BigDecimal("5.50"), "pm_card_visa");
        jpy.put("currency", "JPY");
        assertThat(http.post("/internal/payments/charge", service, jpy).firstErrorField()).isEqualTo("amount");

        for (String pan : List.of("4242 4242 4242 4242", "4242424242424242", "pm_card_4000056655665556", "visa")) {
            Reply r = http.post("/internal/payments/charge", service, charge(orderId, userId, 5, pan));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.firstErrorField()).isEqualTo("paymentMethod");
            assertThat(r.raw().body()).doesNotContain("4242").doesNotContain("5556");
        }
        Map<String, Object> withCard = charge(orderId, userId, 5, "pm_card_visa");
        withCard.put("cardNumber", "4242424242424242");
        Reply unknown = http.post("/internal/payments/charge", service, withCard);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.firstErrorField()).isEqualTo("cardNumber");
        assertThat(unknown.raw().body()).doesNotContain("4242");
        Map<String, Object> noOrder = charge(null, userId, 5, "pm_card_visa");
        assertThat(http.post("/internal/payments/charge", service, noOrder).firstErrorField()).isEqualTo("orderId");
        assertThat(http.post("/internal/payments/charge", service, "{\"orderId\":\"nope\"}").firstErrorField()).isEqualTo("orderId");
        assertThat(http.post("/internal/payments/refund", service, Map.of()).firstErrorField()).isEqualTo("orderId");
        assertThat(rows(orderId)).isZero();
    }

    @Test
    void aPaymentIsVisibleToItsOwnerAndAdminsOnly() {
        UUID orderId = UUID.randomUUID();
        UUID owner = UUID.randomUUID();
        String id = http.post("/internal/payments/charge", service, charge(orderId, owner, 9, "pm_card_visa")).data().path("id").asText();
        assertThat(http.get("/api/payments/" + id, PAYMENT.shopper(owner)).status()).isEqualTo(200);
        assertThat(http.get("/api/payments/" + id, PAYMENT.admin()).status()).isEqualTo(200);
        assertThat(http.get("/api/payments/" + id, PAYMENT.shopper()).status()).isEqualTo(404);
        assertThat(http.get("/api/payments/" + id, null).status()).isEqualTo(401);
        assertThat(http.get("/api/payments/" + id, service).status()).isEqualTo(401);
        assertThat(http.get("/api/payments/not-a-uuid", PAYMENT.shopper(owner)).status()).isEqualTo(404);
    }

    @Test
    void internalRoutesTakeOnlyServiceTokens() {
        String shopper = PAYMENT.admin();
        Map<String, Object> body = charge(UUID.randomUUID(), UUID.randomUUID(), 5, "pm_card_visa");
        assertThat(http.post("/internal/payments/charge", shopper, body).status()).isEqualTo(403);
        assertThat(http.post("/internal/payments/refund", shopper, Map.of("orderId", UUID.randomUUID())).status()).isEqualTo(403);
        assertThat(http.get("/internal/payments/by-order/" + UUID.randomUUID(), shopper).status()).isEqualTo(403);
        assertThat(http.post("/internal/payments/charge", null, body).status()).isEqualTo(401);
    }

    @Test
    void webhooksAreRefusedWithoutAConfiguredSecret() {
        Reply r = http.send("POST", "/api/payments/webhook", null, "{}", Map.of("Stripe-Signature", "t=1,v1=00"));
        assertThat(r.status()).isEqualTo(400);
    }

    @Test
    void openApiDocumentMatchesTheRoutes() {
        OpenApiContract.assertMatches(PAYMENT.module());
    }
}
