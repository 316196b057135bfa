package dev.storefront.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import dev.storefront.common.security.SigningKey;
import dev.storefront.common.security.TokenVerifier;
import dev.storefront.common.security.Tokens;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkRSA;

/** Mints access and service tokens with the key ring's signing key (Helidon's security-jwt), and opaque refresh tokens with their stored hash. */
final class TokenIssuer {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyRing keys;

    TokenIssuer(KeyRing keys) {
        this.keys = keys;
    }

    /** The {@code kid} new tokens are signed with. */
    String keyId() {
        return keys.signer().kid();
    }

    /** Verifies tokens against the ring in-process (auth never fetches its own JWKS over HTTP). */
    TokenVerifier verifier() {
        return new TokenVerifier(keys);
    }

    String accessToken(User user, Duration ttl) {
        return sign(claims(Tokens.AUDIENCE_API, user.id().toString(), ttl)
                .addPayloadClaim(Tokens.TYPE_CLAIM, Tokens.TYPE_ACCESS).addPayloadClaim(Tokens.ROLE_CLAIM, user.role())
                .addPayloadClaim(Tokens.EMAIL_CLAIM, user.email()).addPayloadClaim(Tokens.NAME_CLAIM, user.name()));
    }

    String serviceToken(String clientId, Duration ttl) {
        return sign(claims(Tokens.AUDIENCE_INTERNAL, Tokens.SERVICE_SUBJECT_PREFIX + clientId, ttl)
                .addPayloadClaim(Tokens.TYPE_CLAIM, Tokens.TYPE_SERVICE).addPayloadClaim(Tokens.ROLE_CLAIM, "service"));
    }

    private static Jwt.Builder claims(String audience, String subject, Duration ttl) {
        Instant now = Instant.now();
        return Jwt.builder().issuer(Tokens.ISSUER).addAudience(audience).subject(subject)
                .issueTime(now).notBefore(now).expirationTime(now.plus(ttl)).jwtId(UUID.randomUUID().toString());
    }

    private String sign(Jwt.Builder claims) {
        SigningKey key = keys.signer();
        return SignedJwt.sign(claims.algorithm(JwkRSA.ALG_RS256).keyId(key.kid()).type("JWT").build(), key.signer()).tokenContent();
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
