package dev.storefront.common.testing;

import java.util.Map;
import java.util.UUID;

import dev.storefront.common.security.Role;
import dev.storefront.common.security.SigningKey;
import dev.storefront.common.security.TokenVerifier;
import dev.storefront.common.security.VerificationKeys;
import io.helidon.security.jwt.jwk.JwkKeys;

/**
 * A signing key for tests of services other than auth: mints the same tokens auth would, and a
 * verifier that trusts them, so a service can be tested without auth running.
 */
public final class TestKeys {
    private static final TestKeys SHARED = new TestKeys();

    private final SigningKey key;

    public TestKeys() {
        key = SigningKey.generate();
    }

    public static TestKeys shared() {
        return SHARED;
    }

    public SigningKey key() {
        return key;
    }

    public TokenVerifier verifier() {
        return new TokenVerifier(VerificationKeys.of(JwkKeys.builder().addKey(key.verifier()).build()));
    }

    public String accessToken(UUID userId, Role role) {
        return accessToken(userId, role, userId + "@test.local");
    }

    public String accessToken(UUID userId, Role role, String email) {
        Map<String, Object> claims = TokenForge.access(userId, role.claim());
        claims.put("email", email);
        claims.put("exp", TokenForge.ago(-900));
        return sign(claims);
    }

    public String serviceToken(String service) {
        return sign(TokenForge.service(service));
    }

    /** Any claims, signed RS256 with this key and its kid. */
    public String sign(Map<String, Object> claims) {
        return TokenForge.rs256(claims, key, key.kid());
    }
}
