package dev.storefront.auth;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.security.SigningKey;
import dev.storefront.common.security.Tokens;
import dev.storefront.common.testing.OpenApiContract;
import dev.storefront.common.testing.Accounts;
import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.common.testing.TestHttp.Reply;
import dev.storefront.common.testing.TestKeys;
import dev.storefront.common.testing.TokenForge;
import dev.storefront.common.web.Json;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** auth end to end over HTTP, against real PostgreSQL and NATS JetStream. */
class AuthFlowTest {
    @RegisterExtension
    static final ServiceFixture<AuthModule> AUTH = AuthFixture.with(Map.of());

    @Test
    void registerLoginMeRefreshReuseDetectionLogout() {
        var http = AUTH.http();
        String email = "Flow.User-" + UUID.randomUUID().toString().substring(0, 8) + "@Example.com";
        Reply reg = http.post("/api/auth/register", null, Map.of("name", "Flo", "email", email, "password", "s3cret-pass", "role", "vendor"));
        assertThat(reg.status()).as(reg.toString()).isEqualTo(201);
        assertThat(reg.data().path("role").asText()).isEqualTo("vendor");
        assertThat(reg.data().has("passwordHash")).isFalse();
        // the same address in another case is the same account
        Reply again = http.post("/api/auth/register", null, Map.of("name", "Flo", "email", email.toLowerCase(), "password", "s3cret-pass"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("CONFLICT");

        Reply wrong = http.post("/api/auth/login", null, Map.of("email", email, "password", "not-the-password"));
        Reply unknown = http.post("/api/auth/login", null, Map.of("email", "nobody-" + UUID.randomUUID() + "@example.com", "password", "s3cret-pass"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.body().path("error").path("message")).isEqualTo(unknown.body().path("error").path("message"));

        Reply login = http.post("/api/auth/login", null, Map.of("email", email.toUpperCase(), "password", "s3cret-pass"));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(login.data().path("tokenType").asText()).isEqualTo("Bearer");
        assertThat(login.data().path("expiresIn").asLong()).isEqualTo(900);
        String access = login.data().path("accessToken").asText();
        String refresh1 = login.data().path("refreshToken").asText();
        JsonNode header = decodePart(access, 0);
        JsonNode claims = decodePart(access, 1);
        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        assertThat(header.path("kid").asText()).isEqualTo(AUTH.module().keyId());
        assertThat(claims.path("iss").asText()).isEqualTo("storefront-auth");
        assertThat(claims.path("aud").toString()).contains("storefront");
        assertThat(claims.path("typ").asText()).isEqualTo("access");
        assertThat(claims.path("role").asText()).isEqualTo("vendor");
        assertThat(claims.path("email").asText()).isEqualTo(email);
        assertThat(claims.path("name").asText()).isEqualTo("Flo");
        assertThat(claims.path("jti").asText()).isNotBlank();
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(900);

        Reply me = http.get("/api/auth/me", access);
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.data().path("id").asText()).isEqualTo(claims.path("sub").asText());
        assertThat(me.data().path("email").asText()).isEqualTo(email);

        // only the hash of a refresh token is stored
        assertThat(count("SELECT count(*) FROM refresh_tokens WHERE token_hash = '" + refresh1 + "'")).isZero();
        assertThat(count("SELECT count(*) FROM refresh_tokens WHERE token_hash = '" + TokenIssuer.hash(refresh1) + "'")).isOne();

        Reply rotated = http.post("/api/auth/refresh", null, Map.of("refreshToken", refresh1));
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String refresh2 = rotated.data().path("refreshToken").asText();
        assertThat(refresh2).isNotEqualTo(refresh1);
        assertThat(http.get("/api/auth/me", rotated.data().path("accessToken").asText()).status()).isEqualTo(200);

        // refresh1 is spent: presenting it again means it leaked, so the whole family dies, refresh2 too
        Reply reuse = http.post("/api/auth/refresh", null, Map.of("refreshToken", refresh1));
        assertThat(reuse.status()).isEqualTo(401);
        Reply afterReuse = http.post("/api/auth/refresh", null, Map.of("refreshToken", refresh2));
        assertThat(afterReuse.status()).isEqualTo(401);

        // a new login is a new family; logout ends it, twice is fine
        Reply login2 = http.post("/api/auth/login", null, Map.of("email", email, "password", "s3cret-pass"));
        String refresh3 = login2.data().path("refreshToken").asText();
        assertThat(http.post("/api/auth/logout", null, Map.of("refreshToken", refresh3)).status()).isEqualTo(200);
        assertThat(http.post("/api/auth/logout", null, Map.of("refreshToken", refresh3)).status()).isEqualTo(200);
        assertThat(http.post("/api/auth/refresh", null, Map.of("refreshToken", refresh3)).status()).isEqualTo(401);
        assertThat(http.post("/api/auth/refresh", null, Map.of("refreshToken", "never-issued")).status()).isEqualTo(401);
    }

    @Test
    void concurrentRefreshesOfOneTokenLetOnlyOneWin() throws Exception {
        var s = Accounts.newCustomer(AUTH.http(), "race");
        List<Reply> replies = java.util.stream.IntStream.range(0, 4).parallel()
                .mapToObj(i -> AUTH.http().post("/api/auth/refresh", null, Map.of("refreshToken", s.refreshToken()))).toList();
        assertThat(replies.stream().filter(r -> r.status() == 200).count()).isEqualTo(1);
        assertThat(replies.stream().filter(r -> r.status() == 401).count()).isEqualTo(3);
        // the losers count as reuse: the winner's successor is revoked as well
        String winner = replies.stream().filter(r -> r.status() == 200).findFirst().orElseThrow().data().path("refreshToken").asText();
        assertThat(AUTH.http().post("/api/auth/refresh", null, Map.of("refreshToken", winner)).status()).isEqualTo(401);
    }

    @Test
    void registeringAsAdminOrServiceIsRefused() {
        for (String role : List.of("admin", "service", "ADMIN")) {
            String email = "climber-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
            Reply r = AUTH.http().post("/api/auth/register", null, Map.of("name", "X", "email", email, "password", "password1", "role", role));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.firstErrorField()).isEqualTo("role");
            assertThat(count("SELECT count(*) FROM users WHERE email = '" + email + "'")).isZero();
        }
    }

    @Test
    void everyBadTokenIsRefused() throws Exception {
        var s = Accounts.newCustomer(AUTH.http(), "tokens");
        SigningKey key = realKey();
        SigningKey otherKey = TestKeys.shared().key();
        // control: a token built this way with the real key works
        assertThat(AUTH.http().get("/api/auth/me", TokenForge.rs256(valid(s), key, key.kid())).status()).isEqualTo(200);

        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("forged (other key, real kid)", TokenForge.rs256(valid(s), otherKey, key.kid()));
        bad.put("forged (other key, own kid)", TokenForge.rs256(valid(s), otherKey, otherKey.kid()));
        bad.put("expired", TokenForge.rs256(with(valid(s), Map.of("iat", TokenForge.ago(3600), "nbf", TokenForge.ago(3600),
                "exp", TokenForge.ago(120))), key, key.kid()));
        bad.put("not yet valid", TokenForge.rs256(with(valid(s), Map.of("nbf", TokenForge.ago(-300))), key, key.kid()));
        bad.put("unknown kid", TokenForge.rs256(valid(s), key, "no-such-kid"));
        bad.put("alg none", TokenForge.none(valid(s), key.kid()));
        bad.put("HS256 keyed with the public key", TokenForge.hs256(valid(s), key.publicKey().getEncoded(), key.kid()));
        bad.put("tampered payload", tamper(TokenForge.rs256(valid(s), key, key.kid())));
        bad.put("wrong issuer", TokenForge.rs256(with(valid(s), Map.of("iss", "someone-else")), key, key.kid()));
        bad.put("wrong audience", TokenForge.rs256(with(valid(s), Map.of("aud", "elsewhere")), key, key.kid()));
        bad.put("internal audience on /api", TokenForge.rs256(with(valid(s), Map.of("aud", Tokens.AUDIENCE_INTERNAL)), key, key.kid()));
        Map<String, Object> noTyp = valid(s);
        noTyp.remove("typ");
        bad.put("no typ", TokenForge.rs256(noTyp, key, key.kid()));
        bad.put("refresh token as access token", s.refreshToken());
        bad.put("service token on /api", serviceToken("catalog"));
        bad.put("garbage", "not.a.jwt");
        bad.put("empty", "");

        for (var entry : bad.entrySet()) {
            Reply r = AUTH.http().get("/api/auth/me", entry.getValue());
            assertThat(r.status()).as(entry.getKey() + ": " + r).isEqualTo(401);
            assertThat(r.errorCode()).as(entry.getKey()).isEqualTo("UNAUTHENTICATED");
        }
        assertThat(AUTH.http().get("/api/auth/me", null).status()).isEqualTo(401);
    }

    private static Map<String, Object> valid(Accounts.Session s) {
        Map<String, Object> claims = TokenForge.access(s.userId(), "customer");
        claims.put("email", s.email());
        return claims;
    }

    private static Map<String, Object> with(Map<String, Object> claims, Map<String, Object> changes) {
        claims.putAll(changes);
        return claims;
    }

    @Test
    void internalRoutesTakeServiceTokensOnly() {
        var s = Accounts.newCustomer(AUTH.http(), "internal");
        Reply shopper = AUTH.http().get("/internal/auth/admins", s.accessToken());
        assertThat(shopper.status()).as(shopper.toString()).isEqualTo(403);
        assertThat(AUTH.http().get("/internal/auth/users/" + s.userId(), s.accessToken()).status()).isEqualTo(403);
        assertThat(AUTH.http().get("/internal/auth/admins", null).status()).isEqualTo(401);

        Reply badSecret = AUTH.http().post("/internal/auth/token", null, Map.of("clientId", "notify", "clientSecret", "guess"));
        assertThat(badSecret.status()).isEqualTo(401);
        Reply unknownClient = AUTH.http().post("/internal/auth/token", null, Map.of("clientId", "mallory", "clientSecret", "dev-secret-mallory"));
        assertThat(unknownClient.status()).isEqualTo(401);

        String service = serviceToken("notify");
        assertThat(decodePart(service, 1).path("sub").asText()).isEqualTo("service:notify");
        Reply user = AUTH.http().get("/internal/auth/users/" + s.userId(), service);
        assertThat(user.status()).as(user.toString()).isEqualTo(200);
        assertThat(user.data().path("email").asText()).isEqualTo(s.email());
        assertThat(AUTH.http().get("/internal/auth/users/" + UUID.randomUUID(), service).status()).isEqualTo(404);
        assertThat(AUTH.http().get("/internal/auth/users/not-a-uuid", service).status()).isEqualTo(404);
        Reply admins = AUTH.http().get("/internal/auth/admins", service);
        assertThat(admins.status()).isEqualTo(200);
        assertThat(admins.data().findValuesAsText("email")).containsExactly("admin@storefront.local");
    }

    @Test
    void theConfiguredAdminExistsOnceAndTheKeySurvivesARestart() {
        Reply login = AUTH.http().post("/api/auth/login", null, Map.of("email", "admin@storefront.local", "password", "admin12345"));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(login.data().path("user").path("role").asText()).isEqualTo("admin");

        // a second instance on the same database (a restart, or a replica) keeps the key and the one admin
        try (ServiceContext ctx2 = ServiceContext.builder("auth", AUTH.env().config("auth")).build()) {
            AuthModule again = AuthModule.create(ctx2);
            assertThat(again.keyId()).isEqualTo(AUTH.module().keyId());
            assertThat(again.verifier().verifyAccess(login.data().path("accessToken").asText()).isAdmin()).isTrue();
        }
        assertThat(count("SELECT count(*) FROM users WHERE role = 'admin'")).isOne();
        assertThat(count("SELECT count(*) FROM signing_keys")).isOne();

        Reply jwks = AUTH.http().get("/api/auth/.well-known/jwks.json", null);
        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.body().path("keys")).hasSize(1);
        JsonNode jwk = jwks.body().path("keys").path(0);
        assertThat(jwk.path("kid").asText()).isEqualTo(AUTH.module().keyId());
        assertThat(jwk.path("kty").asText()).isEqualTo("RSA");
        assertThat(jwk.has("d")).as("no private part in the JWKS").isFalse();
        assertThat(jwk.has("p")).isFalse();
    }

    @Test
    void aConfiguredSigningKeyIsUsedWithItsThumbprintAsKid() throws Exception {
        SigningKey configured = SigningKey.generate();
        assertThat(SigningKey.fromPem(configured.toPem()).kid()).isEqualTo(configured.kid());
        // RFC 7638: SHA-256 over {"e","kty","n"} in that order, recomputed here from the published JWK
        Map<String, Object> jwk = configured.publicJwk();
        String canonical = "{\"e\":\"" + jwk.get("e") + "\",\"kty\":\"RSA\",\"n\":\"" + jwk.get("n") + "\"}";
        assertThat(configured.kid()).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(
                java.security.MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8))));
        var config = io.helidon.config.Config.just(io.helidon.config.ConfigSources.create(
                Map.of("storefront.auth.signing-key", configured.toPem().replace("\n", "\\n"))));
        assertThat(SigningKey.fromPem(config.get("storefront.auth.signing-key").asString().get()).kid()).isEqualTo(configured.kid());
    }

    @Test
    void profileAndPreferences() {
        var s = Accounts.newCustomer(AUTH.http(), "profile");
        Reply initial = AUTH.http().get("/api/users/profile", s.accessToken());
        assertThat(initial.status()).isEqualTo(200);
        assertThat(initial.data().path("userId").asText()).isEqualTo(s.userId().toString());
        assertThat(initial.data().path("preferences").size()).isZero();

        Reply updated = AUTH.http().put("/api/users/profile", s.accessToken(),
                Map.of("name", "Renamed", "phone", "+1 555 0100", "preferences", Map.of("language", "de", "newsletter", true)));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.data().path("name").asText()).isEqualTo("Renamed");
        assertThat(updated.data().path("preferences").path("newsletter").asBoolean()).isTrue();

        // absent fields stay; an empty phone clears
        Reply partial = AUTH.http().put("/api/users/profile", s.accessToken(), Map.of("phone", ""));
        assertThat(partial.data().path("name").asText()).isEqualTo("Renamed");
        assertThat(partial.data().path("phone").isNull()).isTrue();
        assertThat(partial.data().path("preferences").path("language").asText()).isEqualTo("de");
        assertThat(AUTH.http().get("/api/auth/me", s.accessToken()).data().path("name").asText()).isEqualTo("Renamed");
    }

    @Test
    void oneDefaultAddressAndOthersAddressesAreNotFound() {
        var ann = Accounts.newCustomer(AUTH.http(), "ann");
        var bob = Accounts.newCustomer(AUTH.http(), "bob");
        Reply first = AUTH.http().post("/api/users/address", ann.accessToken(), address("Home", null));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.data().path("isDefault").asBoolean()).as("the first address is the default").isTrue();
        String home = first.data().path("id").asText();
        Reply second = AUTH.http().post("/api/users/address", ann.accessToken(), address("Work", null));
        assertThat(second.data().path("isDefault").asBoolean()).isFalse();
        String work = second.data().path("id").asText();
        Reply third = AUTH.http().post("/api/users/address", ann.accessToken(), address("Cottage", true));
        assertThat(third.data().path("isDefault").asBoolean()).isTrue();
        assertThat(defaults(ann)).containsExactly(third.data().path("id").asText());

        Reply switched = AUTH.http().put("/api/users/address/" + work, ann.accessToken(), address("Work 2", true));
        assertThat(switched.status()).as(switched.toString()).isEqualTo(200);
        assertThat(switched.data().path("fullName").asText()).isEqualTo("Work 2");
        assertThat(defaults(ann)).containsExactly(work);
        Reply list = AUTH.http().get("/api/users/addresses", ann.accessToken());
        assertThat(list.data()).hasSize(3);
        assertThat(list.data().path(0).path("id").asText()).as("default first").isEqualTo(work);

        // concurrent switches still leave exactly one default
        List<String> ids = List.of(home, work, third.data().path("id").asText());
        ids.parallelStream().forEach(id -> AUTH.http().put("/api/users/address/" + id, ann.accessToken(), address("Again", true)));
        assertThat(defaults(ann)).hasSize(1);

        // Bob cannot see, change or delete Ann's address, and his attempt changes nothing
        assertThat(AUTH.http().get("/api/users/addresses", bob.accessToken()).data()).isEmpty();
        Reply steal = AUTH.http().put("/api/users/address/" + home, bob.accessToken(), address("Mine now", true));
        assertThat(steal.status()).isEqualTo(404);
        assertThat(AUTH.http().delete("/api/users/address/" + home, bob.accessToken()).status()).isEqualTo(404);
        assertThat(AUTH.http().put("/api/users/address/" + UUID.randomUUID(), ann.accessToken(), address("X", null)).status()).isEqualTo(404);
        assertThat(AUTH.http().get("/api/users/addresses", ann.accessToken()).data()).hasSize(3);
        assertThat(count("SELECT count(*) FROM addresses WHERE full_name = 'Mine now'")).isZero();

        assertThat(AUTH.http().delete("/api/users/address/" + home, ann.accessToken()).status()).isEqualTo(200);
        assertThat(AUTH.http().delete("/api/users/address/" + home, ann.accessToken()).status()).isEqualTo(404);
        assertThat(AUTH.http().get("/api/users/address/" + home, ann.accessToken()).status()).isEqualTo(404);
    }

    @Test
    void registrationPublishesUserRegistered() throws Exception {
        ServiceContext ctx = AUTH.context();
        JetStreamSubscription sub = ctx.bus().jetStream().subscribe(ctx.bus().subjectFor("storefront.user.registered"));
        try {
            var s = Accounts.newCustomer(AUTH.http(), "event");
            CloudEvent found = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (found == null && System.nanoTime() < deadline) {
                Message m = sub.nextMessage(Duration.ofSeconds(1));
                if (m != null) {
                    CloudEvent e = Json.read(new String(m.getData(), StandardCharsets.UTF_8), CloudEvent.class);
                    if (e.data().path("userId").asText().equals(s.userId().toString())) {
                        found = e;
                        assertThat(m.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo(e.id().toString());
                    }
                }
            }
            assertThat(found).as("storefront.user.registered for the new user").isNotNull();
            assertThat(found.type()).isEqualTo("storefront.user.registered");
            assertThat(found.source()).isEqualTo("/storefront/auth");
            assertThat(found.data().path("email").asText()).isEqualTo(s.email());
            assertThat(found.data().path("role").asText()).isEqualTo("customer");
            assertThat(found.data().path("name").asText()).isEqualTo("Test event");
        } finally {
            sub.unsubscribe();
        }
    }

    @Test
    void openApiDocumentMatchesTheRoutes() {
        OpenApiContract.assertMatches(AUTH.module());
        assertThat(AUTH.http().get("/openapi/auth", null).status()).isEqualTo(200);
    }

    // ---- helpers ----

    private static Map<String, Object> address(String name, Boolean isDefault) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("fullName", name);
        a.put("line1", "1 Main Street");
        a.put("city", "Springfield");
        a.put("postalCode", "12345");
        a.put("country", "us");
        if (isDefault != null) {
            a.put("isDefault", isDefault);
        }
        return a;
    }

    private static List<String> defaults(Accounts.Session s) {
        return AUTH.http().get("/api/users/addresses", s.accessToken()).data().findParents("isDefault").stream()
                .filter(a -> a.path("isDefault").asBoolean()).map(a -> a.path("id").asText()).toList();
    }

    private static String serviceToken(String client) {
        Reply r = AUTH.http().post("/internal/auth/token", null, Map.of("clientId", client, "clientSecret", "dev-secret-" + client));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.data().path("expiresIn").asLong()).isEqualTo(300);
        return r.data().path("accessToken").asText();
    }

    private static long count(String sql) {
        try (Connection c = AUTH.env().jdbc("auth"); var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SigningKey realKey() throws Exception {
        try (Connection c = AUTH.env().jdbc("auth"); var st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT private_key FROM signing_keys")) {
            rs.next();
            return SigningKey.fromPem(rs.getString(1));
        }
    }

    private static JsonNode decodePart(String jwt, int part) {
        return Json.read(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[part]), StandardCharsets.UTF_8), JsonNode.class);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String tamper(String jwt) {
        String[] parts = jwt.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"customer\"", "\"admin\"");
        return parts[0] + "." + b64(payload) + "." + parts[2];
    }
}
