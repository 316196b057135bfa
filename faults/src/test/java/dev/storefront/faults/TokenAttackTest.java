package dev.storefront.faults;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.storefront.common.security.Tokens;
import dev.storefront.common.testing.TestHttp;
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
        callers.put("a service token signed with another key", sign(serviceClaims(b -> b).build(), otherKey(), s.signingKey.getKeyID()));
        callers.put("an expired service token", sign(serviceClaims(b -> b.issueTime(ago(7200)).notBeforeTime(ago(7200))
                .expirationTime(ago(3600))).build(), s.signingKey, s.signingKey.getKeyID()));
        callers.put("a service-typed token with the API audience", sign(serviceClaims(b -> b.audience(Tokens.AUDIENCE_API)).build(),
                s.signingKey, s.signingKey.getKeyID()));
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
        RSAKey key = s.signingKey;
        String kid = key.getKeyID();
        UUID user = UUID.fromString(s.customerA.userId());
        String role = g.validToken().equals(s.admin.accessToken()) ? "admin" : "customer";
        UUID subject = role.equals("admin") ? UUID.fromString(s.admin.userId()) : user;
        Map<String, String> a = new LinkedHashMap<>();
        a.put("no token", null);
        a.put("an empty bearer", "Bearer ");
        a.put("not a JWT", "Bearer not.a.jwt");
        a.put("the Basic scheme", "Basic " + Base64.getEncoder().encodeToString("admin:admin12345".getBytes(StandardCharsets.UTF_8)));
        a.put("an expired token", bearer(sign(access(subject, role, b -> b.issueTime(ago(7200)).notBeforeTime(ago(7200)).expirationTime(ago(3600))).build(), key, kid)));
        a.put("a not-yet-valid token", bearer(sign(access(subject, role, b -> b.notBeforeTime(ago(-3600)).expirationTime(ago(-7200))).build(), key, kid)));
        a.put("a wrong issuer", bearer(sign(access(subject, role, b -> b.issuer("https://evil.example")).build(), key, kid)));
        a.put("a wrong audience", bearer(sign(access(subject, role, b -> b.audience("someone-else")).build(), key, kid)));
        a.put("the internal audience", bearer(sign(access(subject, role, b -> b.audience(Tokens.AUDIENCE_INTERNAL)).build(), key, kid)));
        a.put("an unknown kid", bearer(sign(access(subject, role, b -> b).build(), otherKey(), "kid-" + UUID.randomUUID())));
        a.put("the right kid but another key", bearer(sign(access(subject, role, b -> b).build(), otherKey(), kid)));
        a.put("alg none", bearer(new PlainJWT(access(subject, "admin", b -> b).build()).serialize()));
        a.put("alg none with a kid", bearer(noneWithKid(access(subject, "admin", b -> b).build(), kid)));
        a.put("HS256 signed with the public key", bearer(hs256(access(subject, "admin", b -> b).build(), key, kid)));
        a.put("a tampered payload (role admin)", bearer(tampered(g.validToken(), "admin")));
        a.put("a tampered payload (another user)", bearer(tampered(g.validToken(), null)));
        a.put("a refresh token", bearer(s.customerA.refreshToken()));
        a.put("a token of type refresh", bearer(sign(access(subject, role, b -> b.claim(Tokens.TYPE_CLAIM, "refresh")).build(), key, kid)));
        a.put("a token without a type", bearer(sign(access(subject, role, b -> b.claim(Tokens.TYPE_CLAIM, null)).build(), key, kid)));
        a.put("a token without an expiry", bearer(sign(access(subject, role, b -> b.expirationTime(null)).build(), key, kid)));
        a.put("an unknown role", bearer(sign(access(subject, "superuser", b -> b).build(), key, kid)));
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

    private static Date ago(long seconds) {
        return Date.from(Instant.now().minusSeconds(seconds));
    }

    private static JWTClaimsSet.Builder access(UUID subject, String role, UnaryOperator<JWTClaimsSet.Builder> change) {
        Instant now = Instant.now();
        return change.apply(new JWTClaimsSet.Builder()
                .issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE_API).subject(subject.toString())
                .claim(Tokens.TYPE_CLAIM, Tokens.TYPE_ACCESS).claim(Tokens.ROLE_CLAIM, role)
                .claim(Tokens.EMAIL_CLAIM, "forged@example.com").claim(Tokens.NAME_CLAIM, "Forged")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
                .jwtID(UUID.randomUUID().toString()));
    }

    private static JWTClaimsSet.Builder serviceClaims(UnaryOperator<JWTClaimsSet.Builder> change) {
        Instant now = Instant.now();
        return change.apply(new JWTClaimsSet.Builder()
                .issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE_INTERNAL).subject(Tokens.SERVICE_SUBJECT_PREFIX + "checkout")
                .claim(Tokens.TYPE_CLAIM, Tokens.TYPE_SERVICE).claim(Tokens.ROLE_CLAIM, "service")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString()));
    }

    static String sign(JWTClaimsSet claims, RSAKey key, String kid) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static RSAKey other;

    private static synchronized RSAKey otherKey() throws Exception {
        if (other == null) {
            other = new RSAKeyGenerator(2048).generate();
        }
        return other;
    }

    private static String noneWithKid(JWTClaimsSet claims, String kid) {
        String header = b64("{\"alg\":\"none\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}");
        return header + "." + b64(claims.toString()) + ".";
    }

    /** The classic confusion attack: HMAC with the RSA public key (as PEM text and as DER) as the secret. */
    private static String hs256(JWTClaimsSet claims, RSAKey key, String kid) throws Exception {
        byte[] der = key.toRSAPublicKey().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner(pem.getBytes(StandardCharsets.US_ASCII)));
        return jwt.serialize();
    }

    /** A genuine token with its payload edited and the original signature kept. */
    private static String tampered(String token, String role) throws Exception {
        String[] parts = token.split("\\.");
        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        JWTClaimsSet.Builder changed = new JWTClaimsSet.Builder(claims);
        changed.jwtID(UUID.randomUUID().toString()); // so the payload differs even when the role already was admin
        if (role != null) {
            changed.claim(Tokens.ROLE_CLAIM, role);
        } else {
            changed.subject(s.customerB.userId());
        }
        return parts[0] + "." + b64(changed.build().toString()) + "." + parts[2];
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
