package dev.storefront.auth;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.security.SigningKey;
import dev.storefront.common.testing.Accounts;
import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.common.testing.TestHttp.Reply;
import dev.storefront.common.testing.TokenForge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An admin rotates the signing key while a shopper is logged in: the JWKS lists both keys, the
 * shopper's token keeps working, logins after the activation get the new kid, a second replica on the
 * same database verifies new tokens and signs with the new key, and a retired key is gone.
 */
class KeyRotationTest {
    @RegisterExtension
    static final ServiceFixture<AuthModule> AUTH = AuthFixture.with(Map.of("storefront.auth.key-reload-seconds", "1"));

    @Test
    void rotationKeepsLoggedInShoppersAndNewLoginsGetTheNewKid() throws Exception {
        Accounts.Session shopper = Accounts.newCustomer(AUTH.http(), "rotation");
        String oldKid = TokenForge.kid(shopper.accessToken());
        assertThat(oldKid).isEqualTo(AUTH.module().keyId());
        String admin = Accounts.login(AUTH.http(), "admin@storefront.local", "admin12345").accessToken();

        assertThat(AUTH.http().post("/api/auth/signing-keys/rotate", shopper.accessToken(), null).status()).isEqualTo(403);
        assertThat(AUTH.http().post("/api/auth/signing-keys/rotate", null, null).status()).isEqualTo(401);

        Reply rotated = AUTH.http().post("/api/auth/signing-keys/rotate", admin, null);
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String newKid = rotated.data().path("kid").asText();
        Instant activatesAt = Instant.parse(rotated.data().path("activatesAt").asText());
        Instant retiresAt = Instant.parse(rotated.data().path("previousRetiresAt").asText());
        assertThat(rotated.data().path("previousKid").asText()).isEqualTo(oldKid);
        assertThat(newKid).isNotEqualTo(oldKid);
        // the previous key verifies for the longest token lifetime (15 min access tokens) plus the 30 s skew
        assertThat(Duration.between(activatesAt, retiresAt)).isEqualTo(Duration.ofSeconds(900 + 30));
        assertThat(jwksKids()).as("published before it signs").contains(oldKid, newKid);

        while (Instant.now().isBefore(activatesAt.plusMillis(50))) {
            Thread.sleep(100);
        }
        Accounts.Session later = Accounts.login(AUTH.http(), shopper.email(), "password-rotation");
        assertThat(TokenForge.kid(later.accessToken())).isEqualTo(newKid);
        assertThat(AUTH.module().keyId()).isEqualTo(newKid);
        assertThat(AUTH.http().get("/api/auth/me", shopper.accessToken()).status()).as("the old token still works").isEqualTo(200);
        assertThat(AUTH.http().get("/api/auth/me", later.accessToken()).status()).isEqualTo(200);
        assertThat(jwksKids()).contains(oldKid, newKid);

        // a replica on the same database that started before the rotation learns it on the unknown kid or its reload
        try (ServiceContext ctx2 = ServiceContext.builder("auth", AUTH.env().config("auth")).build()) {
            AuthModule replica = AuthModule.create(ctx2);
            assertThat(replica.keyId()).isEqualTo(newKid);
            assertThat(replica.verifier().verifyAccess(shopper.accessToken()).userId()).isEqualTo(shopper.userId());
            assertThat(replica.verifier().verifyAccess(later.accessToken()).userId()).isEqualTo(shopper.userId());
        }

        // once its time is up the previous key is deleted and refused (a token made with it now, so none is remembered)
        SigningKey old = key(oldKid);
        sql("UPDATE signing_keys SET retires_at = now() - interval '1 second' WHERE kid = '" + oldKid + "'");
        Thread.sleep(2_500); // the reload job runs every second
        assertThat(jwksKids()).contains(newKid).doesNotContain(oldKid);
        assertThat(count("SELECT count(*) FROM signing_keys WHERE kid = '" + oldKid + "'")).isZero();
        Map<String, Object> claims = TokenForge.access(shopper.userId(), "customer");
        assertThat(AUTH.http().get("/api/auth/me", TokenForge.rs256(claims, old, oldKid)).status()).isEqualTo(401);
        assertThat(AUTH.http().get("/api/auth/me", later.accessToken()).status()).isEqualTo(200);
    }

    /** The operator's way: a new key in the Secret (auth's config) on a restart is published first and signs after the activation. */
    @Test
    void aNewConfiguredKeyJoinsTheRingAndSignsAfterTheActivation() throws Exception {
        SigningKey fromSecret = SigningKey.generate();
        var config = io.helidon.config.Config.just(
                io.helidon.config.ConfigSources.create(Map.of("storefront.auth.signing-key", fromSecret.toPem())),
                io.helidon.config.ConfigSources.create(AUTH.env().config("auth")));
        try (ServiceContext ctx2 = ServiceContext.builder("auth", config).build()) {
            AuthModule restarted = AuthModule.create(ctx2);
            String before = restarted.keyId();
            assertThat(before).isNotEqualTo(fromSecret.kid());
            long deadline = System.nanoTime() + 10_000_000_000L; // twice key-reload-seconds, plus a reload, on a busy machine
            while (!AUTH.module().keyId().equals(fromSecret.kid()) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(restarted.keyId()).isEqualTo(fromSecret.kid());
            assertThat(AUTH.module().keyId()).as("the running replica switched too").isEqualTo(fromSecret.kid());
            assertThat(jwksKids()).contains(fromSecret.kid(), before);
        }
    }

    private static List<String> jwksKids() {
        Reply jwks = AUTH.http().get("/api/auth/.well-known/jwks.json", null);
        assertThat(jwks.status()).isEqualTo(200);
        return jwks.body().path("keys").findValuesAsText("kid");
    }

    private static SigningKey key(String kid) throws Exception {
        try (Connection c = AUTH.env().jdbc("auth"); var st = c.prepareStatement("SELECT private_key FROM signing_keys WHERE kid = ?")) {
            st.setString(1, kid);
            try (var rs = st.executeQuery()) {
                rs.next();
                return SigningKey.fromPem(rs.getString(1));
            }
        }
    }

    private static void sql(String sql) throws Exception {
        try (Connection c = AUTH.env().jdbc("auth"); var st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }

    private static long count(String sql) throws Exception {
        try (Connection c = AUTH.env().jdbc("auth"); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
