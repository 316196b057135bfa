package dev.storefront.checkout;

import java.sql.Connection;
import java.util.Map;
import java.util.UUID;

import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.common.testing.TestEnv;
import dev.storefront.common.testing.TestHttp;
import dev.storefront.common.testing.TestKeys;

/** One checkout module on its own databases, talking to its {@link Neighbours}, and what its tests do with it. */
final class Harness implements AutoCloseable {
    static final long TIMEOUT_MS = 700;
    /** How late a slow neighbour answers: after checkout's client gave up. */
    static final long TOO_LATE_MS = TIMEOUT_MS * 2;

    final Neighbours fakes = new Neighbours(TestKeys.shared());
    final ServiceFixture<CheckoutModule> checkout;
    final TestEnv env;
    final CheckoutModule module;
    final TestHttp http;

    Harness(Map<String, String> settings) {
        checkout = ServiceFixture.of("checkout", CheckoutModule::create)
                .neighbour(fakes.server, "auth", "cart", "catalog", "order", "inventory", "payment")
                .set("storefront.http.timeout-ms", String.valueOf(TIMEOUT_MS))
                .set("storefront.http.max-attempts", "3")
                .set("storefront.checkout.recovery-interval-seconds", "3600") // tests run recovery by hand
                .settings(settings)
                .start();
        env = checkout.env();
        module = checkout.module();
        http = checkout.http();
    }

    String token(UUID userId) {
        return checkout.shopper(userId);
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
        try (Connection c = checkout.jdbc();
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

    void sql(String statement) {
        checkout.sql(statement);
    }

    @Override
    public void close() {
        checkout.close();
    }
}
