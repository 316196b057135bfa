package dev.storefront.common.security;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.storefront.common.web.ApiException;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.JwtHeaders;
import io.helidon.security.jwt.JwtValidator;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.helidon.security.jwt.jwk.JwkRSA;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Verifies RS256 access and service tokens against auth's keys with Helidon's security-jwt. Only
 * RS256 with an RSA key found by the token's {@code kid} is accepted, so {@code alg: none} and
 * HS256-signed-with-the-public-key tokens fail; an unknown {@code kid} makes the key source look
 * again once (a rotation), rate-limited by the source. Issuer, audience, type, exp and nbf are
 * checked with a 30 s clock skew.
 */
public final class TokenVerifier {
    private static final int MAX_CLOCK_SKEW_SECONDS = 30;
    private static final Duration SKEW = Duration.ofSeconds(MAX_CLOCK_SKEW_SECONDS);
    /** A kid is an id, not a path or a query: anything else is refused before any key lookup. */
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final VerificationKeys keys;
    private final JwtValidator accessClaims;
    private final JwtValidator serviceClaims;
    /*
     * Tokens already verified, by their exact text, until they expire. Checking an RS256 signature was
     * a quarter of the CPU of a checkout (each saga step presents the service token again, each shopper
     * request the same access token); the same text carries the same signature, so its answer holds.
     */
    private final Cache<String, Verified> verifiedAccess = Caffeine.newBuilder().maximumSize(20_000).build();
    private final Cache<String, Verified> verifiedService = Caffeine.newBuilder().maximumSize(1_000).build();

    private record Verified(Principal principal, Instant expires) {
    }

    public TokenVerifier(VerificationKeys keys) {
        this.keys = keys;
        this.accessClaims = claims(Tokens.AUDIENCE_API, Tokens.TYPE_ACCESS);
        this.serviceClaims = claims(Tokens.AUDIENCE_INTERNAL, Tokens.TYPE_SERVICE);
    }

    /** A verifier that fetches keys from a JWKS URL, keeping them 5 minutes and looking again on an unknown kid (once a second at most). */
    public static TokenVerifier remote(String jwksUrl) {
        URI url;
        try {
            url = URI.create(jwksUrl);
            url.toURL();
        } catch (IllegalArgumentException | java.net.MalformedURLException e) {
            throw new IllegalArgumentException("Bad JWKS URL " + jwksUrl, e);
        }
        return new TokenVerifier(new RemoteJwks(url, Duration.ofMinutes(5), Duration.ofSeconds(1)));
    }

    /** A shopper/admin/vendor access token (never a service token). */
    public Principal verifyAccess(String token) {
        Principal known = known(verifiedAccess, token);
        if (known != null) {
            return known;
        }
        Jwt jwt = verify(token, accessClaims);
        Role role;
        UUID userId;
        try {
            role = Role.fromClaim(string(jwt, Tokens.ROLE_CLAIM).orElse(null));
            userId = UUID.fromString(jwt.subject().orElseThrow());
        } catch (RuntimeException e) {
            throw ApiException.unauthenticated("Invalid token");
        }
        if (role == Role.SERVICE) {
            throw ApiException.unauthenticated("Invalid token");
        }
        return remember(verifiedAccess, token, jwt, new Principal(userId, jwt.subject().get(),
                string(jwt, Tokens.EMAIL_CLAIM).orElse(null), string(jwt, Tokens.NAME_CLAIM).orElse(null), role));
    }

    /** A service token, for /internal routes. */
    public Principal verifyService(String token) {
        Principal known = known(verifiedService, token);
        if (known != null) {
            return known;
        }
        Jwt jwt = verify(token, serviceClaims);
        String subject = jwt.subject().orElse("");
        if (!"service".equals(string(jwt, Tokens.ROLE_CLAIM).orElse(null)) || !subject.startsWith(Tokens.SERVICE_SUBJECT_PREFIX)) {
            throw ApiException.forbidden("A service token is required");
        }
        return remember(verifiedService, token, jwt, new Principal(null, subject, null, subject, Role.SERVICE));
    }

    /** The principal of a token verified before and not yet expired, else null. */
    private static Principal known(Cache<String, Verified> cache, String token) {
        if (token == null) {
            return null;
        }
        Verified v = cache.getIfPresent(token);
        if (v == null) {
            return null;
        }
        if (!Instant.now().isBefore(v.expires())) {
            cache.invalidate(token);
            return null; // verified again, and now refused as expired
        }
        return v.principal();
    }

    private static Principal remember(Cache<String, Verified> cache, String token, Jwt jwt, Principal principal) {
        // the validator accepts a token up to the clock skew past its exp: so does the cache
        jwt.expirationTime().ifPresent(exp -> cache.put(token, new Verified(principal, exp.plus(SKEW))));
        return principal;
    }

    /** Header, signature, then claims; every failure is the caller's 401, except keys that cannot be fetched (503). */
    private Jwt verify(String token, JwtValidator claims) {
        if (token == null || token.isBlank() || token.length() > 8192) {
            throw ApiException.unauthenticated("Missing or invalid bearer token");
        }
        SignedJwt signed;
        Jwt jwt;
        try {
            signed = SignedJwt.parseToken(token);
            jwt = signed.getJwt();
        } catch (RuntimeException e) {
            throw ApiException.unauthenticated("Invalid token");
        }
        JwtHeaders headers = jwt.headers();
        String kid = headers.keyId().orElse("");
        if (!JwkRSA.ALG_RS256.equals(headers.algorithm().orElse(null)) || !KID.matcher(kid).matches()
                || headers.critical().isPresent() // no extension is ours to understand
                || !headers.type().map("JWT"::equals).orElse(true)) {
            throw ApiException.unauthenticated("Invalid token");
        }
        JwkKeys known = keys.current();
        if (known.forKeyId(kid).isEmpty()) {
            known = keys.refreshed(kid);
        }
        Optional<Jwk> key = known.forKeyId(kid);
        if (key.isEmpty() || !(key.get() instanceof JwkRSA) || !JwkRSA.ALG_RS256.equals(key.get().algorithm())) {
            throw ApiException.unauthenticated("Invalid token");
        }
        try {
            if (!signed.verifySignature(known).isValid() || !claims.validate(jwt).isValid()) {
                throw ApiException.unauthenticated("Invalid or expired token");
            }
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ApiException.unauthenticated("Invalid token");
        }
        return jwt;
    }

    private static JwtValidator claims(String audience, String type) {
        return JwtValidator.builder()
                .addIssuerValidator(Tokens.ISSUER, true)
                .addAudienceValidator(a -> a.addExpectedAudience(audience).mandatory(true))
                .addExpirationValidator(e -> e.allowedTimeSkew(SKEW).mandatory(true))
                .addNotBeforeValidator(n -> n.allowedTimeSkew(SKEW))
                .addIssueTimeValidator(i -> i.allowedTimeSkew(SKEW).mandatory(true))
                .addFieldValidator(f -> f.claimKey(Tokens.TYPE_CLAIM).name("token type").expectedValue(type).mandatory(true))
                .addValidator((jwt, collector) -> {
                    // required claims beside exp and iat: sub, role, jti
                    if (jwt.subject().isEmpty() || string(jwt, Tokens.ROLE_CLAIM).isEmpty() || jwt.jwtId().isEmpty()) {
                        collector.fatal(jwt, "sub, role and jti are required");
                    }
                })
                .build();
    }

    private static Optional<String> string(Jwt jwt, String claim) {
        Optional<JsonValue> value = jwt.payloadClaim(claim);
        return value.filter(v -> v instanceof JsonString).map(v -> ((JsonString) v).getString());
    }
}
