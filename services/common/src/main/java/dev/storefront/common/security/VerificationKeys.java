package dev.storefront.common.security;

import io.helidon.security.jwt.jwk.JwkKeys;

/**
 * Where a {@link TokenVerifier} finds auth's public keys. {@link #refreshed} is asked only when a token
 * names a {@code kid} that {@link #current} lacks: a source that can learn new keys (auth's JWKS over
 * HTTP, auth's own key ring after a rotation) looks again there, rate-limited so forged kids cannot
 * make it fetch on every request.
 */
public interface VerificationKeys {
    JwkKeys current();

    default JwkKeys refreshed(String unknownKid) {
        return current();
    }

    /** A fixed set (tests, tools). */
    static VerificationKeys of(JwkKeys keys) {
        return () -> keys;
    }
}
