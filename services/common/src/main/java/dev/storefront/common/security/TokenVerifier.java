package dev.storefront.common.security;

import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.storefront.common.web.ApiException;

/**
 * Verifies RS256 access and service tokens against auth's JWKS. Only RS256 is accepted, so
 * {@code alg: none} and HS256-signed-with-the-public-key tokens fail; the key set is cached and
 * fetched again when a token names an unknown {@code kid} (nimbus' JWKSource does both).
 */
public final class TokenVerifier {
    private final DefaultJWTProcessor<SecurityContext> accessProcessor;
    private final DefaultJWTProcessor<SecurityContext> serviceProcessor;
    /*
     * Tokens already verified, by their exact text, until they expire. Checking an RS256 signature was
     * a quarter of the CPU of a checkout (each saga step presents the service token again, each shopper
     * request the same access token); the same text carries the same signature, so its answer holds.
     */
    private final Cache<String, Verified> verifiedAccess = Caffeine.newBuilder().maximumSize(20_000).build();
    private final Cache<String, Verified> verifiedService = Caffeine.newBuilder().maximumSize(1_000).build();

    private record Verified(Principal principal, Instant expires) {
    }

    private static final int MAX_CLOCK_SKEW_SECONDS = 30;

    public TokenVerifier(JWKSource<SecurityContext> keys) {
        this.accessProcessor = processor(keys, Tokens.AUDIENCE_API, Tokens.TYPE_ACCESS);
        this.serviceProcessor = processor(keys, Tokens.AUDIENCE_INTERNAL, Tokens.TYPE_SERVICE);
    }

    /** A verifier that fetches keys from a JWKS URL, caching them for 5 minutes. */
    public static TokenVerifier remote(String jwksUrl) {
        try {
            JWKSource<SecurityContext> source = JWKSourceBuilder.<SecurityContext>create(URI.create(jwksUrl).toURL())
                    .cache(5 * 60_000L, 15_000L)
                    .rateLimited(1_000L)
                    .retrying(true)
                    .build();
            return new TokenVerifier(source);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("Bad JWKS URL " + jwksUrl, e);
        }
    }

    /** A shopper/admin/vendor access token (never a service token). */
    public Principal verifyAccess(String token) {
        Principal known = known(verifiedAccess, token);
        if (known != null) {
            return known;
        }
        JWTClaimsSet claims = process(accessProcessor, token);
        try {
            Role role = Role.fromClaim(claims.getStringClaim(Tokens.ROLE_CLAIM));
            if (role == Role.SERVICE) {
                throw ApiException.unauthenticated("Invalid token");
            }
            UUID userId = UUID.fromString(claims.getSubject());
            return remember(verifiedAccess, token, claims, new Principal(userId, claims.getSubject(),
                    claims.getStringClaim(Tokens.EMAIL_CLAIM), claims.getStringClaim(Tokens.NAME_CLAIM), role));
        } catch (ParseException | IllegalArgumentException e) {
            throw ApiException.unauthenticated("Invalid token");
        }
    }

    /** A service token, for /internal routes. */
    public Principal verifyService(String token) {
        Principal known = known(verifiedService, token);
        if (known != null) {
            return known;
        }
        JWTClaimsSet claims = process(serviceProcessor, token);
        try {
            if (!"service".equals(claims.getStringClaim(Tokens.ROLE_CLAIM))
                    || !claims.getSubject().startsWith(Tokens.SERVICE_SUBJECT_PREFIX)) {
                throw ApiException.forbidden("A service token is required");
            }
            return remember(verifiedService, token, claims, new Principal(null, claims.getSubject(), null, claims.getSubject(), Role.SERVICE));
        } catch (ParseException e) {
            throw ApiException.unauthenticated("Invalid token");
        }
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

    private static Principal remember(Cache<String, Verified> cache, String token, JWTClaimsSet claims, Principal principal) {
        if (claims.getExpirationTime() != null) {
            // the processor accepts a token up to the clock skew past its exp: so does the cache
            cache.put(token, new Verified(principal, claims.getExpirationTime().toInstant().plusSeconds(MAX_CLOCK_SKEW_SECONDS)));
        }
        return principal;
    }

    private static JWTClaimsSet process(DefaultJWTProcessor<SecurityContext> processor, String token) {
        if (token == null || token.isBlank() || token.length() > 8192) {
            throw ApiException.unauthenticated("Missing or invalid bearer token");
        }
        try {
            return processor.process(token, null);
        } catch (ParseException | BadJOSEException e) {
            throw ApiException.unauthenticated("Invalid or expired token");
        } catch (JOSEException e) {
            // the key set could not be fetched: auth is down, not the caller's fault
            if (e.getCause() instanceof java.io.IOException || e.getMessage() != null && e.getMessage().contains("retriev")) {
                throw ApiException.unavailable("Cannot verify tokens right now");
            }
            throw ApiException.unauthenticated("Invalid token");
        } catch (RuntimeException e) {
            throw ApiException.unauthenticated("Invalid token");
        }
    }

    private static DefaultJWTProcessor<SecurityContext> processor(JWKSource<SecurityContext> keys, String audience, String type) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(
                audience,
                new JWTClaimsSet.Builder().issuer(Tokens.ISSUER).claim(Tokens.TYPE_CLAIM, type).build(),
                Set.of("sub", "exp", "iat", Tokens.ROLE_CLAIM, "jti"));
        verifier.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(verifier);
        return processor;
    }
}
