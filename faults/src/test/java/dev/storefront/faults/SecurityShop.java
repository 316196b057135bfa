package dev.storefront.faults;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.common.security.SigningKey;
import dev.storefront.common.testing.TestEnv;
import dev.storefront.common.testing.TestHttp;
import dev.storefront.launcher.OneProcessPlatform;

/**
 * One shop in one process shared by the hostile-input, token and authorisation tests (they take
 * turns: {@code @ResourceLock(SecurityShop.LOCK)}), set up once: an admin, customers A and B,
 * vendors A and B each with a product, an address, an order paid through checkout, and mails,
 * plus a service token and auth's signing key (read from auth's database) to forge tokens with.
 */
final class SecurityShop {
    static final String LOCK = "security-shop";
    /** Browsers from this origin may call the API; no other. */
    static final String ALLOWED_ORIGIN = "https://shop.example.test";

    private static SecurityShop instance;

    final Shop shop;
    final OneProcessPlatform platform;
    final TestHttp api;
    private final TestHttp plainApi;
    final Shop.Session admin;
    final Shop.Session customerA;
    final Shop.Session customerB;
    final Shop.Session vendorA;
    final Shop.Session vendorB;
    final String serviceToken;
    final SigningKey signingKey;
    final String plentiful;
    final String productOfVendorA;
    final String productOfVendorB;
    final String addressA;
    final String addressB;
    final Purchase purchaseA;
    final Purchase purchaseB;

    record Purchase(String checkoutId, String orderId, String paymentId) {
    }

    static synchronized SecurityShop get() {
        if (instance == null) {
            instance = new SecurityShop();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::close));
        }
        return instance;
    }

    private SecurityShop() {
        shop = new Shop(TestEnv.PG_HOST, TestEnv.NATS_URL, Map.of(
                "storefront.auth.bcrypt-cost", "4",
                // each test class speaks from its own address, so one class's rate limits do not hit another
                "storefront.auth.client-ip-header", "X-Forwarded-For",
                "storefront.analytics.client-ip-header", "X-Forwarded-For",
                "storefront.cors.allowed-origins", ALLOWED_ORIGIN));
        platform = OneProcessPlatform.start(shop.settings);
        shop.connect(platform.port(), Duration.ofSeconds(30));
        plainApi = shop.api;
        shop.api = plainApi.withHeader("X-Forwarded-For", "10.9.0.1");
        api = shop.api;

        admin = shop.admin();
        customerA = shop.newUser("Customer A", "customer");
        customerB = shop.newUser("Customer B", "customer");
        vendorA = shop.newUser("Vendor A", "vendor");
        vendorB = shop.newUser("Vendor B", "vendor");
        serviceToken = api.json("POST", "/internal/auth/token", null, Map.of("clientId", "checkout", "clientSecret", "dev-secret-checkout"))
                .data().path("accessToken").asText();
        signingKey = signingKey();

        plentiful = shop.newProduct(admin.accessToken(), admin.accessToken(), "Plentiful " + shop.id, "12.50", 100_000);
        productOfVendorA = shop.newProduct(vendorA.accessToken(), admin.accessToken(), "Vendor A thing " + shop.id, "5.00", 50);
        productOfVendorB = shop.newProduct(vendorB.accessToken(), admin.accessToken(), "Vendor B thing " + shop.id, "6.00", 50);
        addressA = newAddress(customerA);
        addressB = newAddress(customerB);
        purchaseA = buy(customerA);
        purchaseB = buy(customerB);
        awaitQuiet();
    }

    String newAddress(Shop.Session who) {
        TestHttp.Reply r = api.json("POST", "/api/users/address", who.accessToken(), Shop.address(who.email()));
        if (r.status() != 201) {
            throw new AssertionError("address: " + r);
        }
        return r.data().path("id").asText();
    }

    /** Puts the plentiful product in the cart and checks out. */
    Purchase buy(Shop.Session who) {
        TestHttp.Reply added = api.json("POST", "/api/cart/add", who.accessToken(), Map.of("productId", plentiful, "quantity", 1));
        if (added.status() != 200) {
            throw new AssertionError("cart add: " + added);
        }
        TestHttp.Reply done = api.json("POST", "/api/checkout", who.accessToken(),
                Map.of("shippingAddress", Shop.address(who.email()), "paymentMethod", "pm_card_visa"),
                Map.of("Idempotency-Key", "sec-" + UUID.randomUUID()));
        if (done.status() != 201) {
            throw new AssertionError("checkout: " + done);
        }
        return new Purchase(done.data().path("id").asText(), done.data().path("orderId").asText(),
                done.data().path("transactionId").asText());
    }

    /** Waits until every event is published and consumed (outboxes empty, mails made). */
    void awaitQuiet() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            StringBuilder state = new StringBuilder();
            long outbox = 0;
            for (var s : dev.storefront.launcher.Services.values()) {
                outbox += shop.count(s.id(), "SELECT count(*) FROM outbox");
            }
            state.append(outbox).append('/').append(shop.count("notify", "SELECT count(*) FROM notifications"))
                    .append('/').append(shop.count("notify", "SELECT count(*) FROM processed_events"));
            if (outbox == 0 && state.toString().equals(last)) {
                return;
            }
            last = state.toString();
            try {
                Thread.sleep(700);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** auth generated its key and keeps it in its database: a test may sign with it as auth would. */
    private SigningKey signingKey() {
        String pem = (String) shop.rows("auth", "SELECT private_key FROM signing_keys ORDER BY activates_at DESC").getFirst().get("private_key");
        return SigningKey.fromPem(pem);
    }

    record InternalRoute(String method, String path, Object body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Every /internal route with a body it would accept from a service. */
    List<InternalRoute> internalRoutes() {
        String a = customerA.userId();
        String order = purchaseA.orderId();
        String fresh = UUID.randomUUID().toString();
        Map<String, Object> item = Map.of("productId", plentiful, "name", "x", "unitPrice", new BigDecimal("12.50"), "quantity", 1);
        return List.of(
                new InternalRoute("GET", "/internal/auth/users/" + a, null),
                new InternalRoute("GET", "/internal/auth/admins", null),
                new InternalRoute("GET", "/internal/catalog/products?ids=" + plentiful, null),
                new InternalRoute("GET", "/internal/catalog/products/all?limit=5", null),
                new InternalRoute("POST", "/internal/inventory/reserve", Map.of("orderId", fresh, "items",
                        List.of(Map.of("productId", plentiful, "quantity", 1)))),
                new InternalRoute("POST", "/internal/inventory/release", Map.of("orderId", fresh)),
                new InternalRoute("POST", "/internal/inventory/commit", Map.of("orderId", order)),
                new InternalRoute("POST", "/internal/inventory/restock", Map.of("orderId", UUID.randomUUID().toString())),
                new InternalRoute("GET", "/internal/inventory/availability?limit=5", null),
                new InternalRoute("GET", "/internal/cart/" + a, null),
                new InternalRoute("DELETE", "/internal/cart/" + a, null),
                new InternalRoute("POST", "/internal/orders", Map.of("idempotencyKey", "tok-" + fresh, "userId", a, "items", List.of(item),
                        "currency", "USD", "shippingAddress", Shop.address("Internal"))),
                new InternalRoute("GET", "/internal/orders/" + order, null),
                new InternalRoute("PUT", "/internal/orders/" + order + "/status", Map.of("status", "CONFIRMED")),
                new InternalRoute("POST", "/internal/payments/charge", Map.of("orderId", order, "userId", a, "amount", new BigDecimal("12.50"),
                        "currency", "USD", "paymentMethod", "pm_card_visa")),
                new InternalRoute("POST", "/internal/payments/refund", Map.of("orderId", UUID.randomUUID().toString())),
                new InternalRoute("GET", "/internal/payments/by-order/" + order, null),
                new InternalRoute("POST", "/internal/notify", Map.of("userId", a, "template", "message", "subject", "Hello",
                        "data", Map.of("message", "token test"))));
    }

    /** The client every test class uses, speaking from its own address. */
    TestHttp api(String clientAddress) {
        return plainApi.withHeader("X-Forwarded-For", clientAddress);
    }

    private void close() {
        try {
            platform.close();
        } catch (RuntimeException ignored) {
            // shutting down
        }
        shop.dropDatabases();
        shop.deleteStream();
    }
}
