package dev.storefront.checkout;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.storefront.checkout.Harness.Shopper;
import dev.storefront.common.security.Role;
import dev.storefront.common.testing.OpenApiContract;
import dev.storefront.common.testing.TestHttp;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The checkout routes end to end against fakes of its neighbours (real PostgreSQL, real NATS). */
class CheckoutApiTest {
    private static Harness h;

    @BeforeAll
    static void start() {
        h = new Harness(Map.of("storefront.checkout.rate-limit-per-minute", "25"));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void happyPathRepricesChargesConfirmsAndRepeatsTheSameAnswer() {
        UUID user = UUID.randomUUID();
        UUID book = h.fakes.product("19.99", "USD", 5);
        UUID pen = h.fakes.product("2.50", "USD", 10);
        h.fakes.addToCart(user, book, 2);
        h.fakes.addToCart(user, pen, 3);
        String key = Harness.key();
        double before = completedCount();

        TestHttp.Reply reply = h.checkout(h.token(user), key, Harness.body("pm_card_visa"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(reply.data().path("status").asText()).isEqualTo("COMPLETED");
        UUID orderId = UUID.fromString(reply.data().path("orderId").asText());
        UUID transactionId = UUID.fromString(reply.data().path("transactionId").asText());
        Neighbours.Order order = h.fakes.orders.get(orderId);
        assertThat(order.status()).isEqualTo("CONFIRMED");
        assertThat(order.paymentTransactionId()).isEqualTo(transactionId);
        assertThat(order.total()).isEqualByComparingTo("47.48"); // catalog prices, not the cart's 0.01 snapshot
        assertThat(order.request().path("items").path(0).path("unitPrice").decimalValue()).isEqualByComparingTo("19.99");
        assertThat(order.request().path("shippingAddress").path("city").asText()).isEqualTo("London");
        Neighbours.Payment payment = h.fakes.payments.get(orderId);
        assertThat(payment.id()).isEqualTo(transactionId);
        assertThat(payment.amount()).isEqualByComparingTo(new BigDecimal("47.48"));
        assertThat(payment.status()).isEqualTo("COMPLETED");
        assertThat(h.fakes.stockOf(book)).containsExactly(3, 0, 2);
        assertThat(h.fakes.stockOf(pen)).containsExactly(7, 0, 3);
        assertThat(h.fakes.carts).doesNotContainKey(user);
        assertThat(completedCount()).isGreaterThan(before);

        TestHttp.Reply again = h.checkout(h.token(user), key, Harness.body("pm_card_visa"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.data()).isEqualTo(reply.data());
        assertThat(h.fakes.providerChargesFor(orderId)).isEqualTo(1);

        String id = reply.data().path("id").asText();
        assertThat(h.http.get("/api/checkout/" + id, h.token(user)).data()).isEqualTo(reply.data());
        assertThat(h.http.get("/api/checkout/" + id, h.env.keys().accessToken(UUID.randomUUID(), Role.ADMIN)).status())
                .isEqualTo(200);
        TestHttp.Reply stranger = h.http.get("/api/checkout/" + id, h.token(UUID.randomUUID()));
        assertThat(stranger.status()).isEqualTo(404);
        assertThat(stranger.errorCode()).isEqualTo("NOT_FOUND");
        assertThat(h.http.get("/api/checkout/not-a-uuid", h.token(user)).status()).isEqualTo(404);
        assertThat(h.http.get("/api/checkout/" + id, null).status()).isEqualTo(401);
    }

    @Test
    void outOfStockSeenBeforeAnythingIsRecordedIs409WithNoOrderAndTheKeyUnused() {
        Shopper s = h.shopper("10.00", 3, 2);
        String key = Harness.key();

        TestHttp.Reply reply = h.checkout(s.token(), key, Harness.body("pm_card_visa"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
        assertThat(reply.errorCode()).isEqualTo("OUT_OF_STOCK");
        assertThat(reply.firstErrorField()).isEqualTo("items[0].productId");
        assertThat(h.fakes.ordersOf(s.userId())).isEmpty();
        assertThat(h.fakes.stockOf(s.productId())).containsExactly(2, 0, 0);
        assertThat(h.fakes.carts).containsKey(s.userId());

        h.fakes.restock(s.productId(), 1); // the key was not used up: the same request succeeds once there is stock
        assertThat(h.checkout(s.token(), key, Harness.body("pm_card_visa")).status()).isEqualTo(201);
    }

    @Test
    void outOfStockAtReservationCancelsTheOrderChargesNothingAndNamesTheLine() {
        Shopper s = h.shopper("10.00", 3, 2);
        h.fakes.staleStockView.add(s.productId()); // another checkout took the units after checkout looked
        String key = Harness.key();

        TestHttp.Reply reply = h.checkout(s.token(), key, Harness.body("pm_card_visa"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
        assertThat(reply.errorCode()).isEqualTo("OUT_OF_STOCK");
        assertThat(reply.firstErrorField()).isEqualTo("items[0].productId");
        assertThat(reply.data().path("status").asText()).isEqualTo("OUT_OF_STOCK");
        assertThat(reply.data().path("shortages").path(0).path("available").asInt()).isEqualTo(2);
        UUID orderId = UUID.fromString(reply.data().path("orderId").asText());
        assertThat(h.fakes.orders.get(orderId).status()).isEqualTo("CANCELLED");
        assertThat(h.fakes.payments).doesNotContainKey(orderId);
        assertThat(h.fakes.stockOf(s.productId())).containsExactly(2, 0, 0);
        assertThat(h.fakes.carts).containsKey(s.userId());

        assertThat(h.checkout(s.token(), key, Harness.body("pm_card_visa")).errorCode()).isEqualTo("OUT_OF_STOCK");
        assertThat(h.fakes.ordersOf(s.userId())).hasSize(1);
    }

    @Test
    void declinedCardReleasesTheStockAndCancelsTheOrder() {
        Shopper s = h.shopper("15.00", 2, 5);

        TestHttp.Reply reply = h.checkout(s.token(), Harness.key(), Harness.body("pm_card_chargeDeclined"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(402);
        assertThat(reply.errorCode()).isEqualTo("PAYMENT_FAILED");
        assertThat(reply.body().path("error").path("message").asText()).contains("declined");
        assertThat(reply.data().path("status").asText()).isEqualTo("PAYMENT_FAILED");
        assertThat(reply.data().path("failureReason").asText()).isEqualTo("Your card was declined.");
        UUID orderId = UUID.fromString(reply.data().path("orderId").asText());
        assertThat(h.fakes.orders.get(orderId).status()).isEqualTo("CANCELLED");
        assertThat(h.fakes.payments.get(orderId).status()).isEqualTo("FAILED");
        assertThat(h.fakes.stockOf(s.productId())).containsExactly(5, 0, 0);
        assertThat(h.fakes.reservations.get(orderId).state()).isEqualTo("RELEASED");
    }

    @Test
    void theSameKeyTwentyTimesAtOnceMakesOneOrderAndOneCharge() throws Exception {
        Shopper s = h.shopper("5.00", 1, 10);
        String key = Harness.key();
        List<Callable<TestHttp.Reply>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> h.checkout(s.token(), key, Harness.body("pm_card_visa")));
        }
        List<TestHttp.Reply> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (Future<TestHttp.Reply> f : pool.invokeAll(calls)) {
                replies.add(f.get());
            }
        }

        assertThat(replies).allSatisfy(r -> assertThat(r.data().path("status").asText()).as(r.toString()).isEqualTo("COMPLETED"));
        assertThat(replies.stream().filter(r -> r.status() == 201)).hasSize(1);
        assertThat(replies.stream().filter(r -> r.status() == 200)).hasSize(19);
        assertThat(replies.stream().map(r -> r.data().path("id").asText()).distinct()).hasSize(1);
        assertThat(h.fakes.ordersOf(s.userId())).hasSize(1);
        UUID orderId = h.fakes.ordersOf(s.userId()).getFirst().id();
        assertThat(h.fakes.providerChargesFor(orderId)).isEqualTo(1);
        assertThat(h.fakes.stockOf(s.productId())).containsExactly(9, 0, 1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() {
        Shopper s = h.shopper("5.00", 1, 10);
        String key = Harness.key();
        assertThat(h.checkout(s.token(), key, Harness.body("pm_card_visa")).status()).isEqualTo(201);

        TestHttp.Reply other = h.checkout(s.token(), key, Harness.body("pm_card_mastercard"));

        assertThat(other.status()).isEqualTo(422);
        assertThat(other.errorCode()).isEqualTo("UNPROCESSABLE");
        assertThat(other.firstErrorField()).isEqualTo("Idempotency-Key");
        // the same key is per user: another shopper may use it
        Shopper t = h.shopper("5.00", 1, 10);
        assertThat(h.checkout(t.token(), key, Harness.body("pm_card_mastercard")).status()).isEqualTo(201);
    }

    @Test
    void badKeysAndBodiesAre400AndRecordNothing() throws Exception {
        Shopper s = h.shopper("5.00", 1, 10);
        TestHttp.Reply missing = h.checkout(s.token(), null, Harness.body("pm_card_visa"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.firstErrorField()).isEqualTo("Idempotency-Key");
        for (String bad : List.of("short", "has spaces in it", "x".repeat(129), "semi;colon-key")) {
            TestHttp.Reply r = h.checkout(s.token(), bad, Harness.body("pm_card_visa"));
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.firstErrorField()).isEqualTo("Idempotency-Key");
        }
        assertThat(h.checkout(s.token(), Harness.key(), Map.of("paymentMethod", "pm_card_visa")).firstErrorField())
                .isEqualTo("shippingAddress");
        assertThat(h.checkout(s.token(), Harness.key(), Map.of("shippingAddress", Map.of("fullName", "A"),
                "paymentMethod", "pm_card_visa")).firstErrorField()).isEqualTo("shippingAddress.line1");
        assertThat(h.checkout(s.token(), Harness.key(), Map.of("addressId", UUID.randomUUID(),
                "shippingAddress", Harness.body("x").get("shippingAddress"), "paymentMethod", "pm_card_visa"))
                .firstErrorField()).isEqualTo("addressId");
        assertThat(h.checkout(s.token(), Harness.key(), Map.of("addressId", "nope", "paymentMethod", "pm_card_visa"))
                .firstErrorField()).isEqualTo("addressId");
        assertThat(h.checkout(s.token(), Harness.key(), Map.of("addressId", UUID.randomUUID(), "paymentMethod", "pm card"))
                .firstErrorField()).isEqualTo("paymentMethod");
        assertThat(h.checkout(s.token(), Harness.key(), Map.of("addressId", UUID.randomUUID(), "paymentMethod", "pm_x",
                "price", 0)).firstErrorField()).isEqualTo("price");
        assertThat(h.checkout(s.token(), Harness.key(), "{not json").status()).isEqualTo(400);
        assertThat(h.checkout(null, Harness.key(), Harness.body("pm_card_visa")).status()).isEqualTo(401);
        assertThat(h.fakes.ordersOf(s.userId())).isEmpty();
    }

    @Test
    void anEmptyCartIs409AndLeavesTheKeyUnused() {
        UUID user = UUID.randomUUID();
        String key = Harness.key();
        TestHttp.Reply empty = h.checkout(h.token(user), key, Harness.body("pm_card_visa"));
        assertThat(empty.status()).isEqualTo(409);
        assertThat(empty.errorCode()).isEqualTo("CONFLICT");
        assertThat(empty.firstErrorField()).isEqualTo("cart");

        h.fakes.addToCart(user, h.fakes.product("3.00", "USD", 1), 1);
        assertThat(h.checkout(h.token(user), key, Harness.body("pm_card_visa")).status()).isEqualTo(201);
    }

    @Test
    void linesInTwoCurrenciesOrNoLongerForSaleAre409() {
        UUID user = UUID.randomUUID();
        h.fakes.addToCart(user, h.fakes.product("3.00", "USD", 1), 1);
        h.fakes.addToCart(user, h.fakes.product("4.00", "EUR", 1), 1);
        h.fakes.addToCart(user, UUID.randomUUID(), 1);
        TestHttp.Reply reply = h.checkout(h.token(user), Harness.key(), Harness.body("pm_card_visa"));
        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.body().path("error").path("details").findValuesAsText("field"))
                .containsExactly("items[1].currency", "items[2].productId");
        assertThat(h.fakes.ordersOf(user)).isEmpty();
    }

    @Test
    void aSavedAddressIsFetchedWithTheShoppersOwnToken() {
        Shopper s = h.shopper("8.00", 1, 3);
        UUID addressId = UUID.randomUUID();
        h.fakes.addresses.put(s.userId(), List.of(Map.of("id", addressId, "fullName", "Grace Hopper", "line1", "1 Navy Way",
                "city", "Arlington", "postalCode", "22202", "country", "US", "isDefault", true)));

        TestHttp.Reply unknown = h.checkout(s.token(), Harness.key(), Map.of("addressId", UUID.randomUUID(),
                "paymentMethod", "pm_card_visa"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.firstErrorField()).isEqualTo("addressId");

        TestHttp.Reply reply = h.checkout(s.token(), Harness.key(), Map.of("addressId", addressId, "paymentMethod", "pm_card_visa"));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        Neighbours.Order order = h.fakes.orders.get(UUID.fromString(reply.data().path("orderId").asText()));
        assertThat(order.request().path("shippingAddress").path("fullName").asText()).isEqualTo("Grace Hopper");
    }

    @Test
    void checkoutsAreRateLimitedPerUser() {
        String token = h.token(UUID.randomUUID());
        for (int i = 0; i < 25; i++) {
            assertThat(h.checkout(token, null, Harness.body("pm_card_visa")).status()).isEqualTo(400);
        }
        TestHttp.Reply limited = h.checkout(token, null, Harness.body("pm_card_visa"));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isNotNull();
        assertThat(h.checkout(h.token(UUID.randomUUID()), null, Harness.body("pm_card_visa")).status()).isEqualTo(400);
    }

    @Test
    void openApiDocumentMatchesTheRoutes() {
        OpenApiContract.assertMatches(h.module);
        assertThat(h.http.get("/openapi/checkout", null).status()).isEqualTo(200);
    }

    private static double completedCount() {
        return Metrics.globalRegistry().getOrCreate(Counter.builder("storefront_checkout_sagas")
                .tags(List.of(Metrics.tag("status", "COMPLETED")))).count();
    }
}
