package dev.storefront.common.testing;

import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.storefront.common.security.Role;
import dev.storefront.common.security.TokenVerifier;
import dev.storefront.common.security.Tokens;

/**
 * A signing key for tests of services other than auth: mints the same tokens auth would, and a
 * verifier that trusts them, so a service can be tested without auth running.
 */
public final class TestKeys {
    private static final TestKeys SHARED = new TestKeys();

    private final RSAKey key;

    public TestKeys() {
        try {
            key = new RSAKeyGenerator(2048).keyID("test-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TestKeys shared() {
        return SHARED;
    }

    public RSAKey key() {
        return key;
    }

    public TokenVerifier verifier() {
        return new TokenVerifier(new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())));
    }

    public String accessToken(UUID userId, Role role) {
        return accessToken(userId, role, userId + "@test.local");
    }

    public String accessToken(UUID userId, Role role, String email) {
        Instant now = Instant.now();
        return sign(new JWTClaimsSet.Builder()
                .issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE_API).subject(userId.toString())
                .claim(Tokens.TYPE_CLAIM, Tokens.TYPE_ACCESS).claim(Tokens.ROLE_CLAIM, role.claim())
                .claim(Tokens.EMAIL_CLAIM, email).claim(Tokens.NAME_CLAIM, "Test " + role.claim())
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(900)))
                .jwtID(UUID.randomUUID().toString()).build());
    }

    public String serviceToken(String service) {
        Instant now = Instant.now();
        return sign(new JWTClaimsSet.Builder()
                .issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE_INTERNAL).subject(Tokens.SERVICE_SUBJECT_PREFIX + service)
                .claim(Tokens.TYPE_CLAIM, Tokens.TYPE_SERVICE).claim(Tokens.ROLE_CLAIM, "service")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString()).build());
    }

    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
