package dev.storefront.launcher;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.storefront.common.testing.TestHttp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 200 mixed checkouts at once (good cards, declined cards, more demand than stock), then the
 * books must balance: for every product initial stock = available + reserved + sold; every
 * COMPLETED payment belongs to exactly one CONFIRMED order and back; no order stays PENDING.
 */
class CheckoutBurstInvariantsTest {
    private static final int SHOPPERS = 40;
    private static final int ROUNDS = 5;
    private static final int PRODUCTS = 8;
    private static final int STOCK = 25;

    @Test
    void twoHundredMixedCheckoutsLeaveConsistentBooks() throws Exception {
        try (PlatformFixture shop = new PlatformFixture(false, Map.of("storefront.checkout.rate-limit-per-minute", "1000"))) {
            String admin = shop.adminToken();
            List<String> products = new ArrayList<>();
            for (int i = 0; i < PRODUCTS; i++) {
                products.add(shop.newProduct(admin, "Burst item " + i + " " + UUID.randomUUID(), (5 + i) + ".50", STOCK));
            }
            List<String> shoppers = new ArrayList<>();
            for (int i = 0; i < SHOPPERS; i++) {
                shoppers.add(shop.newShopper("Burst Shopper " + i));
            }

            Map<Integer, AtomicInteger> outcomes = new ConcurrentHashMap<>();
            Set<String> succeededOrders = ConcurrentHashMap.newKeySet();
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            List<Future<?>> runs = new ArrayList<>();
            for (String shopper : shoppers) {
                runs.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int round = 0; round < ROUNDS; round++) {
                        String product = products.get(random.nextInt(PRODUCTS));
                        TestHttp.Reply added = shop.http.post("/api/cart/add", shopper,
                                Map.of("productId", product, "quantity", 1 + random.nextInt(3)));
                        if (added.status() >= 500) {
                            outcomes.computeIfAbsent(added.status(), s -> new AtomicInteger()).incrementAndGet();
                        }
                        int dice = random.nextInt(10);
                        String card = dice < 7 ? "pm_card_visa" : dice < 9 ? "pm_card_chargeDeclined" : "pm_card_chargeDeclinedInsufficientFunds";
                        TestHttp.Reply reply = shop.checkout(shopper, "burst-" + UUID.randomUUID(), card);
                        outcomes.computeIfAbsent(reply.status(), s -> new AtomicInteger()).incrementAndGet();
                        if (reply.status() < 300) {
                            succeededOrders.add(reply.data().path("orderId").asText());
                        }
                        if (reply.status() == 409) {
                            shop.http.delete("/api/cart", shopper); // start the next round with a clean cart
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
            pool.shutdown();
            System.out.println("checkout burst outcomes by status: " + outcomes);
            assertThat(outcomes.keySet()).as("no 5xx answers").allMatch(status -> status < 500);
            assertThat(outcomes.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(SHOPPERS * ROUNDS);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> shop.count("order", "SELECT count(*) FROM orders WHERE status = 'PENDING'") == 0);

            Set<String> confirmed = ids(shop, "order", "SELECT id FROM orders WHERE status = 'CONFIRMED'");
            Set<String> paid = ids(shop, "payment", "SELECT order_id FROM payments WHERE status = 'COMPLETED'");
            assertThat(confirmed).as("every 2xx checkout has a confirmed order").containsAll(succeededOrders);
            assertThat(paid).as("completed payments = confirmed orders").isEqualTo(confirmed);
            assertThat(shop.count("payment", "SELECT count(*) FROM (SELECT order_id FROM payments GROUP BY order_id HAVING count(*) > 1) t"))
                    .isZero();

            Map<String, Long> soldByOrders = new HashMap<>();
            try (Connection c = shop.db("order"); var st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT i.product_id, sum(i.quantity) FROM order_items i JOIN orders o ON o.id = i.order_id "
                         + "WHERE o.status = 'CONFIRMED' GROUP BY i.product_id")) {
                while (rs.next()) {
                    soldByOrders.put(rs.getString(1), rs.getLong(2));
                }
            }
            try (Connection c = shop.db("inventory"); var st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT product_id, available, reserved, sold FROM stock")) {
                int checked = 0;
                while (rs.next()) {
                    String product = rs.getString(1);
                    if (!products.contains(product)) {
                        continue;
                    }
                    long available = rs.getLong(2);
                    long reserved = rs.getLong(3);
                    long sold = rs.getLong(4);
                    assertThat(available).isNotNegative();
                    assertThat(reserved).isZero();
                    assertThat(available + reserved + sold).as("stock of " + product).isEqualTo(STOCK);
                    assertThat(sold).as("sold of " + product + " = confirmed order lines").isEqualTo(soldByOrders.getOrDefault(product, 0L));
                    checked++;
                }
                assertThat(checked).isEqualTo(PRODUCTS);
            }
        }
    }

    private static Set<String> ids(PlatformFixture shop, String service, String sql) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection c = shop.db(service); var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
