package dev.storefront.checkout;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceServer;
import dev.storefront.common.security.Role;
import dev.storefront.common.testing.TestEnv;
import dev.storefront.common.testing.TestHttp;
import io.helidon.webserver.WebServer;

/** One checkout module on its own databases, talking to one {@link FakeNeighbours} server. */
final class Harness implements AutoCloseable {
    static final long TIMEOUT_MS = 700;

    final TestEnv env = new TestEnv();
    final FakeNeighbours fakes;
    final CheckoutModule module;
    final WebServer server;
    final TestHttp http;

    Harness(Map<String, String> settings) {
        // Helidon 4.1's metrics feature registers its meters in a plain HashMap: two servers built at
        // once in one JVM (test classes run in parallel) can fail with ConcurrentModificationException
        synchronized (Harness.class) {
            fakes = new FakeNeighbours(env.keys(), TIMEOUT_MS * 2);
        }
        for (String service : List.of("auth", "cart", "catalog", "order", "inventory", "payment")) {
            env.set("storefront.services." + service + ".url", fakes.url());
        }
        env.set("storefront.http.timeout-ms", String.valueOf(TIMEOUT_MS));
        env.set("storefront.http.max-attempts", "3");
        env.set("storefront.checkout.recovery-interval-seconds", "3600"); // tests run recovery by hand
        settings.forEach(env::set);
        ServiceContext ctx = env.context("checkout");
        module = CheckoutModule.create(ctx);
        synchronized (Harness.class) {
            server = ServiceServer.start(env.config("checkout"), 0, List.of(module));
        }
        http = new TestHttp(server.port());
    }

    String token(UUID userId) {
        return env.keys().accessToken(userId, Role.CUSTOMER);
    }

    /** A new shopper with {@code quantity} of a new product priced {@code price} (stock {@code stock}) in the cart. */
    Shopper shopper(String price, int quantity, int stock) {
        UUID user = UUID.randomUUID();
        UUID product = fakes.product(price, "USD", stock);
        fakes.addToCart(user, product, quantity);
        return new Shopper(user, product, token(user));
    }

    record Shopper(UUID userId, UUID productId, String token) {
    }

    static Map<String, Object> body(String paymentMethod) {
        return Map.of("shippingAddress", Map.of("fullName", "Ada Lovelace", "line1", "12 St James's Square",
                "city", "London", "postalCode", "SW1Y 4JH", "country", "GB"), "paymentMethod", paymentMethod);
    }

    TestHttp.Reply checkout(String token, String key, Object body) {
        return http.send("POST", "/api/checkout", token, body, key == null ? Map.of() : Map.of("Idempotency-Key", key));
    }

    static String key() {
        return "key-" + UUID.randomUUID();
    }

    Saga saga(UUID id) {
        return module.repository().find(id).orElseThrow();
    }

    Saga sagaOf(UUID userId) throws Exception {
        try (Connection c = env.jdbc("checkout");
             var st = c.prepareStatement("SELECT id FROM sagas WHERE user_id = ?")) {
            st.setObject(1, userId);
            var rs = st.executeQuery();
            rs.next();
            return saga((UUID) rs.getObject(1));
        }
    }

    /** Makes every lease run out now, as if stuck-after-seconds had passed. */
    void expireLeases() throws Exception {
        sql("UPDATE sagas SET locked_until = now() - interval '1 second' WHERE step NOT IN ('COMPLETED', 'COMPENSATED')");
    }

    void sql(String statement) throws Exception {
        try (Connection c = env.jdbc("checkout"); var st = c.createStatement()) {
            st.execute(statement);
        }
    }

    @Override
    public void close() {
        server.stop();
        module.close();
        fakes.close();
        env.close();
    }
}
