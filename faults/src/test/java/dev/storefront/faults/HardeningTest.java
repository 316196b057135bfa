package dev.storefront.faults;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.common.testing.TestHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hardening the other tests rely on: rate limits (login, register, checkout per user) answer
 * 429 with Retry-After; every answer carries the security headers and a request id; CORS opens
 * the API to the configured origin only.
 */
@ResourceLock(SecurityShop.LOCK)
class HardeningTest {
    private static SecurityShop s;

    @BeforeAll
    static void shop() {
        s = SecurityShop.get();
    }

    @Test
    void registrationIsRateLimitedPerClientAddress() {
        TestHttp api = s.api("10.9.4.1");
        TestHttp.Reply limited = null;
        for (int i = 0; i < 40 && limited == null; i++) {
            TestHttp.Reply r = api.json("POST", "/api/auth/register", null, Map.of()); // invalid, but it still counts
            if (r.status() == 429) {
                limited = r;
            }
        }
        assertRateLimited(limited);
        // another address is not affected
        assertThat(s.api("10.9.4.99").json("POST", "/api/auth/register", null, Map.of()).status()).isEqualTo(400);
    }

    @Test
    void loginIsRateLimitedPerEmail() {
        TestHttp api = s.api("10.9.4.2");
        String email = "victim-" + UUID.randomUUID() + "@example.com";
        TestHttp.Reply limited = null;
        for (int i = 0; i < 10 && limited == null; i++) {
            TestHttp.Reply r = api.json("POST", "/api/auth/login", null, Map.of("email", email, "password", "guess-" + i + "-xxxx"));
            if (r.status() == 429) {
                limited = r;
            } else {
                assertThat(r.status()).as(r.toString()).isEqualTo(401);
            }
        }
        assertRateLimited(limited);
    }

    @Test
    void checkoutIsRateLimitedPerShopper() {
        TestHttp api = s.api("10.9.4.3");
        Shop.Session shopper = s.shop.newUser("Hasty Harriet", "customer");
        TestHttp.Reply limited = null;
        for (int i = 0; i < 40 && limited == null; i++) {
            TestHttp.Reply r = api.json("POST", "/api/checkout", shopper.accessToken(), Map.of()); // no key: 400, but it counts
            if (r.status() == 429) {
                limited = r;
            }
        }
        assertRateLimited(limited);
        // other shoppers still check out
        assertThat(api.json("POST", "/api/checkout", s.customerB.accessToken(), Map.of()).status()).isEqualTo(400);
    }

    private static void assertRateLimited(TestHttp.Reply limited) {
        assertThat(limited).as("a 429 came").isNotNull();
        assertThat(limited.errorCode()).isEqualTo("RATE_LIMITED");
        assertThat(limited.header("Retry-After")).as("Retry-After").isNotNull();
        assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
    }

    @Test
    void everyAnswerCarriesTheSecurityHeadersAndARequestId() {
        TestHttp api = s.api("10.9.4.4");
        byte[] big = ("{\"name\":\"" + "x".repeat(400_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        List<TestHttp.Reply> replies = List.of(
                api.get("/api/products", null),
                api.get("/api/products/" + s.plentiful, null),
                api.get("/api/cart", null),
                api.get("/api/cart", s.customerA.accessToken()),
                api.get("/api/nothing-here", null),
                api.get("/internal/orders/" + s.purchaseA.orderId(), s.customerA.accessToken()),
                api.send("POST", "/api/products", s.admin.accessToken(), big, List.<String[]>of(new String[] {"Content-Type", "application/json"})),
                api.get("/observe/health/ready", null),
                api.get("/api/auth/.well-known/jwks.json", null));
        for (TestHttp.Reply r : replies) {
            assertThat(r.header("X-Content-Type-Options")).as(r.toString()).isEqualTo("nosniff");
            assertThat(r.header("X-Frame-Options")).as(r.toString()).isEqualTo("DENY");
            assertThat(r.header("X-Request-Id")).as(r.toString()).isNotBlank();
        }
        assertThat(replies.get(6).status()).isEqualTo(413);
        // a hostile request id is not echoed: a fresh one is made
        TestHttp.Reply odd = api.send("GET", "/api/products", null, null, List.<String[]>of(new String[] {"X-Request-Id", "<script>alert(1)</script>"}));
        assertThat(odd.header("X-Request-Id")).doesNotContain("<");
        TestHttp.Reply kept = api.send("GET", "/api/products", null, null, List.<String[]>of(new String[] {"X-Request-Id", "trace-abc-123"}));
        assertThat(kept.header("X-Request-Id")).isEqualTo("trace-abc-123");
    }

    @Test
    void corsOpensTheApiToTheConfiguredOriginOnly() {
        TestHttp api = s.api("10.9.4.5");
        String evil = "https://evil.example";
        List<String[]> preflightEvil = List.of(new String[] {"Origin", evil}, new String[] {"Access-Control-Request-Method", "POST"},
                new String[] {"Access-Control-Request-Headers", "authorization, content-type"});
        for (String path : List.of("/api/products", "/api/cart/add", "/api/checkout", "/api/auth/login", "/api/orders")) {
            TestHttp.Reply refused = api.send("OPTIONS", path, null, null, preflightEvil);
            assertThat(refused.status()).as(path + " " + refused).isEqualTo(403);
            assertThat(refused.header("Access-Control-Allow-Origin")).as(path).isNull();
            TestHttp.Reply allowed = api.send("OPTIONS", path, null, null, List.of(new String[] {"Origin", SecurityShop.ALLOWED_ORIGIN},
                    new String[] {"Access-Control-Request-Method", "POST"}));
            assertThat(allowed.status()).as(path + " " + allowed).isEqualTo(204);
            assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(SecurityShop.ALLOWED_ORIGIN);
            assertThat(allowed.header("Access-Control-Allow-Credentials")).isNull();
        }
        TestHttp.Reply simpleEvil = api.send("GET", "/api/cart", s.customerA.accessToken(), null, List.<String[]>of(new String[] {"Origin", evil}));
        assertThat(simpleEvil.header("Access-Control-Allow-Origin")).isNull();
        TestHttp.Reply simpleOk = api.send("GET", "/api/products", null, null, List.<String[]>of(new String[] {"Origin", SecurityShop.ALLOWED_ORIGIN}));
        assertThat(simpleOk.header("Access-Control-Allow-Origin")).isEqualTo(SecurityShop.ALLOWED_ORIGIN);
        assertThat(simpleOk.header("Vary")).contains("Origin");
        TestHttp.Reply nullOrigin = api.send("OPTIONS", "/api/products", null, null, List.of(new String[] {"Origin", "null"},
                new String[] {"Access-Control-Request-Method", "GET"}));
        assertThat(nullOrigin.header("Access-Control-Allow-Origin")).isNull();
    }
}
