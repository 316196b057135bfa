package dev.storefront.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.storefront.common.testing.TestHttp;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A shopper buys, end to end through HTTP, against every real service in one process, real
 * PostgreSQL, real NATS and GreenMail as the SMTP server; then the error paths.
 */
class ShopperJourneyTest {
    private static GreenMail smtp;
    private static PlatformFixture shop;
    private static String admin;

    @BeforeAll
    static void start() {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        shop = new PlatformFixture(false, Map.of(
                "storefront.mail.host", "127.0.0.1",
                "storefront.mail.port", String.valueOf(smtp.getSmtp().getPort()),
                "storefront.mail.from", "shop@storefront.local"));
        admin = shop.adminToken();
    }

    @AfterAll
    static void stop() {
        if (shop != null) {
            shop.close();
        }
        smtp.stop();
    }

    @Test
    void aShopperBrowsesFillsACartPaysAndGetsAnEmailAndTheAdminShips() throws Exception {
        String productA = shop.newProduct(admin, "Journey Kettle " + UUID.randomUUID(), "24.50", 10);
        String productB = shop.newProduct(admin, "Journey Teapot " + UUID.randomUUID(), "10.25", 5);
        String shopper = shop.newShopper("Jane Journey");

        TestHttp.Reply found = shop.http.get("/api/products?q=Journey%20Kettle&limit=5", null);
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.data().findValuesAsText("id")).contains(productA);
        assertThat(shop.http.get("/api/products/" + productB, null).status()).isEqualTo(200);

        assertThat(shop.http.post("/api/cart/add", shopper, Map.of("productId", productA, "quantity", 1)).status()).isEqualTo(200);
        assertThat(shop.http.post("/api/cart/add", shopper, Map.of("productId", productB, "quantity", 1)).status()).isEqualTo(200);
        assertThat(shop.http.put("/api/cart/items/" + productA, shopper, Map.of("quantity", 2)).status()).isEqualTo(200);
        TestHttp.Reply cart = shop.http.get("/api/cart", shopper);
        assertThat(cart.data().path("total").decimalValue()).isEqualByComparingTo("59.25");

        TestHttp.Reply done = shop.checkout(shopper, "journey-" + UUID.randomUUID(), "pm_card_visa");
        assertThat(done.status()).as(done.toString()).isIn(200, 201);
        String orderId = done.data().path("orderId").asText();
        String transactionId = done.data().path("transactionId").asText();

        TestHttp.Reply order = shop.http.get("/api/orders/" + orderId, shopper);
        assertThat(order.data().path("status").asText()).isEqualTo("CONFIRMED");
        assertThat(order.data().path("total").decimalValue()).isEqualByComparingTo("59.25");
        assertThat(shop.stock(productA).path("quantity").asInt()).isEqualTo(8);
        assertThat(shop.stock(productB).path("quantity").asInt()).isEqualTo(4);
        TestHttp.Reply payment = shop.http.get("/api/payments/" + transactionId, shopper);
        assertThat(payment.data().path("status").asText()).isEqualTo("COMPLETED");
        assertThat(shop.http.get("/api/cart", shopper).data().path("items")).isEmpty();

        await().atMost(Duration.ofSeconds(30)).until(() -> mailsMentioning(orderId).size() == 1);
        String mail = GreenMailUtil.getBody(mailsMentioning(orderId).getFirst());
        assertThat(mail).contains("59.25");

        TestHttp.Reply shipped = shop.http.put("/api/orders/" + orderId + "/status", admin, Map.of("action", "ship"));
        assertThat(shipped.status()).as(shipped.toString()).isEqualTo(200);
        assertThat(shop.http.get("/api/orders/" + orderId, shopper).data().path("status").asText()).isEqualTo("SHIPPED");
        assertThat(shop.http.get("/api/orders", shopper).data().findValuesAsText("id")).contains(orderId);
    }

    @Test
    void aDeclinedCardCancelsTheOrderReleasesTheStockAndKeepsTheCart() {
        String product = shop.newProduct(admin, "Declined Lamp " + UUID.randomUUID(), "15.00", 4);
        String shopper = shop.newShopper("Dan Declined");
        shop.http.post("/api/cart/add", shopper, Map.of("productId", product, "quantity", 2));

        TestHttp.Reply declined = shop.checkout(shopper, "declined-" + UUID.randomUUID(), "pm_card_chargeDeclined");
        assertThat(declined.status()).as(declined.toString()).isEqualTo(402);
        assertThat(declined.body().path("error").path("message").asText()).isNotBlank();
        assertThat(shop.stock(product).path("quantity").asInt()).isEqualTo(4);
        assertThat(shop.http.get("/api/cart", shopper).data().path("items")).hasSize(1);
        assertThat(orderStatuses(shopper)).containsOnly("CANCELLED");
    }

    @Test
    void outOfStockIs409AndMakesNoOrderAndChargesNothing() {
        String product = shop.newProduct(admin, "Scarce Vase " + UUID.randomUUID(), "99.99", 3);
        String first = shop.newShopper("First Buyer");
        String second = shop.newShopper("Second Buyer");
        shop.http.post("/api/cart/add", first, Map.of("productId", product, "quantity", 2));
        shop.http.post("/api/cart/add", second, Map.of("productId", product, "quantity", 2));

        assertThat(shop.checkout(first, "oos-a-" + UUID.randomUUID(), "pm_card_visa").status()).isIn(200, 201);
        TestHttp.Reply late = shop.checkout(second, "oos-b-" + UUID.randomUUID(), "pm_card_visa");
        assertThat(late.status()).as(late.toString()).isEqualTo(409);
        assertThat(late.body().path("error").path("code").asText()).isEqualTo("OUT_OF_STOCK");
        assertThat(shop.stock(product).path("quantity").asInt()).isEqualTo(1);
        // checkout saw the shortage before recording anything (the saga's own 409 path is covered in checkout's tests)
        assertThat(orderStatuses(second)).isEmpty();
        assertThat(shop.count("payment", "SELECT count(*) FROM payments WHERE status = 'COMPLETED' AND amount = 199.98")).isEqualTo(1);
    }

    @Test
    void theSameIdempotencyKeyTwentyTimesAtOnceMakesOneOrderAndOneCharge() throws Exception {
        String product = shop.newProduct(admin, "Twin Mug " + UUID.randomUUID(), "7.00", 50);
        String shopper = shop.newShopper("Ivy Idempotent");
        shop.http.post("/api/cart/add", shopper, Map.of("productId", product, "quantity", 3));
        String key = "same-" + UUID.randomUUID();

        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<TestHttp.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            replies.add(pool.submit((Callable<TestHttp.Reply>) () -> shop.checkout(shopper, key, "pm_card_visa")));
        }
        List<String> orderIds = new ArrayList<>();
        for (Future<TestHttp.Reply> reply : replies) {
            TestHttp.Reply r = reply.get();
            assertThat(r.status()).as(r.toString()).isLessThan(500);
            if (r.status() < 300) {
                orderIds.add(r.data().path("orderId").asText());
            }
        }
        pool.shutdown();
        assertThat(orderIds).isNotEmpty();
        assertThat(orderIds.stream().distinct()).hasSize(1);
        assertThat(shop.http.get("/api/orders", shopper).data()).hasSize(1);
        assertThat(shop.count("payment", "SELECT count(*) FROM payments WHERE order_id = ?::uuid", orderIds.getFirst())).isEqualTo(1);
        assertThat(shop.stock(product).path("quantity").asInt()).isEqualTo(47);
    }

    private static List<String> orderStatuses(String token) {
        List<String> statuses = new ArrayList<>();
        shop.http.get("/api/orders", token).data().forEach(order -> statuses.add(order.path("status").asText()));
        return statuses;
    }

    private static List<MimeMessage> mailsMentioning(String text) throws Exception {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            if (GreenMailUtil.getWholeMessage(message).contains(text)) {
                found.add(message);
            }
        }
        return found;
    }
}
