package dev.storefront.faults;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import dev.storefront.common.security.SigningKey;
import dev.storefront.common.security.Tokens;
import dev.storefront.common.testing.TestHttp;
import dev.storefront.common.testing.TokenForge;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forged, stale and misused tokens against a route of every service, and shopper tokens against
 * every /internal route: each must be refused (401, or 403 where the caller is known but not
 * allowed), with an error envelope. A valid token on the same routes is the control.
 */
@ResourceLock(SecurityShop.LOCK)
class TokenAttackTest {
    private static SecurityShop s;
    private static TestHttp api;

    @BeforeAll
    static void shop() {
        s = SecurityShop.get();
        api = s.api("10.9.1.1");
    }

    /** A route of every service that needs a token, and the role it is meant for. */
    private record Guarded(String service, String method, String path, Object body, String validToken) {
    }

    private static List<Guarded> guarded() {
        Map<String, Object> product = Map.of("name", "Forged " + UUID.randomUUID(), "price", new BigDecimal("1.00"), "currency", "USD");
        return List.of(
                new Guarded("auth", "GET", "/api/auth/me", null, s.customerA.accessToken()),
                new Guarded("auth", "GET", "/api/users/addresses", null, s.customerA.accessToken()),
                // forged admin tokens must not rotate auth's key (the control call really rotates it, once)
                new Guarded("auth", "POST", "/api/auth/signing-keys/rotate", null, s.admin.accessToken()),
                new Guarded("catalog", "POST", "/api/products", product, s.admin.accessToken()),
                new Guarded("inventory", "GET", "/api/inventory/status/low-stock", null, s.admin.accessToken()),
                new Guarded("cart", "GET", "/api/cart", null, s.customerA.accessToken()),
                new Guarded("order", "GET", "/api/orders", null, s.customerA.accessToken()),
                new Guarded("checkout", "GET", "/api/checkout/" + s.purchaseA.checkoutId(), null, s.customerA.accessToken()),
                new Guarded("payment", "GET", "/api/payments/" + s.purchaseA.paymentId(), null, s.customerA.accessToken()),
                new Guarded("notify", "GET", "/api/notifications", null, s.customerA.accessToken()));
    }

    @Test
    void forgedStaleAndMisusedTokensAreRefusedEverywhere() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Guarded g : guarded()) {
            TestHttp.Reply control = call(g, g.validToken());
            if (control.status() / 100 != 2) {
                failures.add(g.service() + " " + g.path() + ": the valid token itself failed: " + control);
            }
            for (Map.Entry<String, String> attack : attacks(g).entrySet()) {
                TestHttp.Reply reply = attack.getValue() == null ? call(g, null) : callRaw(g, attack.getValue());
                boolean refused = reply.status() == 401 || reply.status() == 403 || attack.getKey().startsWith("two ") && reply.status() == 400;
                if (!refused || !reply.isErrorEnvelope()) {
                    failures.add(g.service() + " " + g.method() + " " + g.path() + " with " + attack.getKey() + " -> " + reply);
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void onlyServiceTokensOpenInternalRoutes() throws Exception {
        List<String> failures = new ArrayList<>();
        Map<String, String> callers = new LinkedHashMap<>();
        callers.put("customer", s.customerA.accessToken());
        callers.put("vendor", s.vendorA.accessToken());
        callers.put("admin", s.admin.accessToken());
        String kid = s.signingKey.kid();
        callers.put("a service token signed with another key", sign(serviceClaims(c -> c), otherKey(), kid));
        callers.put("an expired service token", sign(serviceClaims(c -> times(c, 7200, 7200, 3600)), s.signingKey, kid));
        callers.put("a service-typed token with the API audience", sign(serviceClaims(c -> put(c, "aud", Tokens.AUDIENCE_API)),
                s.signingKey, kid));
        callers.put("a refresh token", s.customerA.refreshToken());
        for (SecurityShop.InternalRoute r : s.internalRoutes()) {
            TestHttp.Reply none = api.json(r.method(), r.path(), null, r.body());
            if (none.status() != 401 || !none.isErrorEnvelope()) {
                failures.add(r + " without a token -> " + none);
            }
            callers.forEach((who, token) -> {
                TestHttp.Reply reply = api.json(r.method(), r.path(), token, r.body());
                if ((reply.status() != 401 && reply.status() != 403) || !reply.isErrorEnvelope()) {
                    failures.add(r + " with " + who + " -> " + reply);
                }
            });
            TestHttp.Reply service = api.json(r.method(), r.path(), s.serviceToken, r.body());
            if (service.status() == 401 || service.status() == 403 || service.status() >= 500) {
                failures.add(r + " with a service token (control) -> " + service);
            }
        }
        // the token route itself takes client credentials, not a token
        TestHttp.Reply wrongSecret = api.json("POST", "/internal/auth/token", null, Map.of("clientId", "checkout", "clientSecret", "guess"));
        TestHttp.Reply unknownClient = api.json("POST", "/internal/auth/token", null, Map.of("clientId", "mallory", "clientSecret", "dev-secret-mallory"));
        assertThat(wrongSecret.status()).as(wrongSecret.toString()).isEqualTo(401);
        assertThat(unknownClient.status()).as(unknownClient.toString()).isEqualTo(401);
        assertThat(failures).isEmpty();
    }

    /** Attack name -> the Authorization header value to send (null: none). */
    private static Map<String, String> attacks(Guarded g) throws Exception {
        SigningKey key = s.signingKey;
        String kid = key.kid();
        UUID user = UUID.fromString(s.customerA.userId());
        String role = g.validToken().equals(s.admin.accessToken()) ? "admin" : "customer";
        UUID subject = role.equals("admin") ? UUID.fromString(s.admin.userId()) : user;
        Map<String, String> a = new LinkedHashMap<>();
        a.put("no token", null);
        a.put("an empty bearer", "Bearer ");
        a.put("not a JWT", "Bearer not.a.jwt");
        a.put("the Basic scheme", "Basic " + Base64.getEncoder().encodeToString("admin:admin12345".getBytes(StandardCharsets.UTF_8)));
        a.put("an expired token", bearer(sign(access(subject, role, c -> times(c, 7200, 7200, 3600)), key, kid)));
        a.put("a not-yet-valid token", bearer(sign(access(subject, role, c -> times(c, 0, -3600, -7200)), key, kid)));
        a.put("a wrong issuer", bearer(sign(access(subject, role, c -> put(c, "iss", "https://evil.example")), key, kid)));
        a.put("a wrong audience", bearer(sign(access(subject, role, c -> put(c, "aud", "someone-else")), key, kid)));
        a.put("the internal audience", bearer(sign(access(subject, role, c -> put(c, "aud", Tokens.AUDIENCE_INTERNAL)), key, kid)));
        a.put("an unknown kid", bearer(sign(access(subject, role, c -> c), otherKey(), "kid-" + UUID.randomUUID())));
        a.put("the right kid but another key", bearer(sign(access(subject, role, c -> c), otherKey(), kid)));
        a.put("alg none", bearer(TokenForge.none(access(subject, "admin", c -> c), null)));
        a.put("alg none with a kid", bearer(TokenForge.none(access(subject, "admin", c -> c), kid)));
        a.put("HS256 signed with the public key", bearer(hs256(access(subject, "admin", c -> c), key, kid)));
        a.put("a tampered payload (role admin)", bearer(tampered(g.validToken(), "admin")));
        a.put("a tampered payload (another user)", bearer(tampered(g.validToken(), null)));
        a.put("a refresh token", bearer(s.customerA.refreshToken()));
        a.put("a token of type refresh", bearer(sign(access(subject, role, c -> put(c, Tokens.TYPE_CLAIM, "refresh")), key, kid)));
        a.put("a token without a type", bearer(sign(access(subject, role, c -> remove(c, Tokens.TYPE_CLAIM)), key, kid)));
        a.put("a token without an expiry", bearer(sign(access(subject, role, c -> remove(c, "exp")), key, kid)));
        a.put("an unknown role", bearer(sign(access(subject, "superuser", c -> c), key, kid)));
        a.put("a service token on /api", bearer(s.serviceToken));
        a.put("a huge token", bearer("x".repeat(10_000)));
        return a;
    }

    private static TestHttp.Reply call(Guarded g, String token) {
        return api.json(g.method(), g.path(), token, g.body());
    }

    private static TestHttp.Reply callRaw(Guarded g, String authorization) {
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"Authorization", authorization});
        if (g.body() != null) {
            headers.add(new String[] {"Content-Type", "application/json"});
        }
        return api.send(g.method(), g.path(), null, g.body() == null ? null : dev.storefront.common.web.Json.writeBytes(g.body()), headers);
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static Map<String, Object> access(UUID subject, String role, UnaryOperator<Map<String, Object>> change) {
        Map<String, Object> claims = TokenForge.access(subject, role);
        claims.put(Tokens.EMAIL_CLAIM, "forged@example.com");
        claims.put(Tokens.NAME_CLAIM, "Forged");
        return change.apply(claims);
    }

    private static Map<String, Object> serviceClaims(UnaryOperator<Map<String, Object>> change) {
        return change.apply(TokenForge.service("checkout"));
    }

    /** iat, nbf and exp, each this many seconds ago (negative: ahead). */
    private static Map<String, Object> times(Map<String, Object> claims, long iatAgo, long nbfAgo, long expAgo) {
        claims.put("iat", TokenForge.ago(iatAgo));
        claims.put("nbf", TokenForge.ago(nbfAgo));
        claims.put("exp", TokenForge.ago(expAgo));
        return claims;
    }

    private static Map<String, Object> put(Map<String, Object> claims, String name, Object value) {
        claims.put(name, value);
        return claims;
    }

    private static Map<String, Object> remove(Map<String, Object> claims, String name) {
        claims.remove(name);
        return claims;
    }

    static String sign(Map<String, Object> claims, SigningKey key, String kid) {
        return TokenForge.rs256(claims, key, kid);
    }

    private static SigningKey other;

    private static synchronized SigningKey otherKey() {
        if (other == null) {
            other = SigningKey.generate();
        }
        return other;
    }

    /** The classic confusion attack: HMAC with the RSA public key (as PEM text) as the secret. */
    private static String hs256(Map<String, Object> claims, SigningKey key, String kid) {
        byte[] der = key.publicKey().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
        return TokenForge.hs256(claims, pem.getBytes(StandardCharsets.US_ASCII), kid);
    }

    /** A genuine token with its payload edited and the original signature kept. */
    private static String tampered(String token, String role) {
        Map<String, Object> claims = TokenForge.payload(token);
        claims.put("jti", UUID.randomUUID().toString()); // so the payload differs even when the role already was admin
        if (role != null) {
            claims.put(Tokens.ROLE_CLAIM, role);
        } else {
            claims.put("sub", s.customerB.userId());
        }
        return TokenForge.withPayload(token, claims);
    }
}
