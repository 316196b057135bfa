package dev.storefront.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.storefront.common.security.TokenVerifier;
import dev.storefront.common.security.Tokens;

/** Mints access and service tokens with auth's key, and opaque refresh tokens with their stored hash. */
final class TokenIssuer {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RSAKey key;
    private final RSASSASigner signer;
    private final JWKSet publicKeys;

    TokenIssuer(RSAKey key) {
        this.key = key;
        this.publicKeys = new JWKSet(key.toPublicJWK());
        try {
            this.signer = new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    String keyId() {
        return key.getKeyID();
    }

    /** The public half only, as served at /.well-known/jwks.json. */
    Map<String, Object> jwks() {
        return publicKeys.toJSONObject(true);
    }

    /** Verifies tokens against this key in-process (auth never fetches its own JWKS over HTTP). */
    TokenVerifier verifier() {
        return new TokenVerifier(new ImmutableJWKSet<>(publicKeys));
    }

    String accessToken(User user, Duration ttl) {
        Instant now = Instant.now();
        return sign(new JWTClaimsSet.Builder()
                .issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE_API).subject(user.id().toString())
                .claim(Tokens.TYPE_CLAIM, Tokens.TYPE_ACCESS).claim(Tokens.ROLE_CLAIM, user.role())
                .claim(Tokens.EMAIL_CLAIM, user.email()).claim(Tokens.NAME_CLAIM, user.name())
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString()).build());
    }

    String serviceToken(String clientId, Duration ttl) {
        Instant now = Instant.now();
        return sign(new JWTClaimsSet.Builder()
                .issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE_INTERNAL).subject(Tokens.SERVICE_SUBJECT_PREFIX + clientId)
                .claim(Tokens.TYPE_CLAIM, Tokens.TYPE_SERVICE).claim(Tokens.ROLE_CLAIM, "service")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString()).build());
    }

    private String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign a token", e);
        }
    }

    /** A new opaque refresh token: 256 random bits, URL-safe. */
    static String newRefreshToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What the database keeps of a refresh token: a leaked table cannot be replayed. */
    static String hash(String refreshToken) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(refreshToken.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
