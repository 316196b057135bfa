package dev.storefront.common.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.storefront.common.security.SigningKey;
import dev.storefront.common.security.Tokens;
import dev.storefront.common.web.Json;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkOctet;

/**
 * Tokens as tests need them, genuine or forged: any header, any claims (a map, so a test can drop
 * or break one), signed by Helidon's JWK types (RS256 with any key and kid, HS256 with any secret)
 * or not at all ({@code alg: none}).
 */
public final class TokenForge {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private TokenForge() {
    }

    /** The claims auth puts in an access token, valid for 10 minutes from now; change freely. */
    public static Map<String, Object> access(UUID subject, String role) {
        Instant now = Instant.now();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", Tokens.ISSUER);
        c.put("aud", Tokens.AUDIENCE_API);
        c.put("sub", subject.toString());
        c.put(Tokens.TYPE_CLAIM, Tokens.TYPE_ACCESS);
        c.put(Tokens.ROLE_CLAIM, role);
        c.put(Tokens.EMAIL_CLAIM, subject + "@test.local");
        c.put(Tokens.NAME_CLAIM, "Test " + role);
        c.put("iat", now.getEpochSecond());
        c.put("nbf", now.getEpochSecond());
        c.put("exp", now.plusSeconds(600).getEpochSecond());
        c.put("jti", UUID.randomUUID().toString());
        return c;
    }

    /** The claims of a service token for {@code service}, valid for 5 minutes. */
    public static Map<String, Object> service(String service) {
        Instant now = Instant.now();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", Tokens.ISSUER);
        c.put("aud", Tokens.AUDIENCE_INTERNAL);
        c.put("sub", Tokens.SERVICE_SUBJECT_PREFIX + service);
        c.put(Tokens.TYPE_CLAIM, Tokens.TYPE_SERVICE);
        c.put(Tokens.ROLE_CLAIM, "service");
        c.put("iat", now.getEpochSecond());
        c.put("nbf", now.getEpochSecond());
        c.put("exp", now.plusSeconds(300).getEpochSecond());
        c.put("jti", UUID.randomUUID().toString());
        return c;
    }

    /** Seconds since the epoch, {@code secondsAgo} before now (negative: in the future). */
    public static long ago(long secondsAgo) {
        return Instant.now().minusSeconds(secondsAgo).getEpochSecond();
    }

    public static String rs256(Map<String, Object> claims, SigningKey key, String kid) {
        return sign(header("RS256", kid), claims, key.signer());
    }

    /** HMAC-SHA256 with {@code secret} as the key: the algorithm-confusion attack when the secret is the public key. */
    public static String hs256(Map<String, Object> claims, byte[] secret, String kid) {
        Jwk hmac = JwkOctet.create(jakarta.json.Json.createObjectBuilder()
                .add("kty", "oct").add("alg", "HS256").add("kid", kid).add("k", B64.encodeToString(secret)).build());
        return sign(header("HS256", kid), claims, hmac);
    }

    /** An unsigned token: {@code alg: none}, an empty signature, a kid when given. */
    public static String none(Map<String, Object> claims, String kid) {
        Map<String, Object> header = header("none", kid);
        return part(header) + "." + part(claims) + ".";
    }

    public static String sign(Map<String, Object> header, Map<String, Object> claims, Jwk jwk) {
        String input = part(header) + "." + part(claims);
        return input + "." + B64.encodeToString(jwk.sign(input.getBytes(StandardCharsets.US_ASCII)));
    }

    /** A genuine token with its payload replaced and its header and signature kept. */
    public static String withPayload(String token, Map<String, Object> claims) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + part(claims) + "." + parts[2];
    }

    /** The claims of a token, unverified. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> payload(String token) {
        return Json.read(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8), LinkedHashMap.class);
    }

    /** The kid in a token's header, unverified. */
    public static String kid(String token) {
        @SuppressWarnings("unchecked")
        Map<String, Object> header = Json.read(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8),
                LinkedHashMap.class);
        return (String) header.get("kid");
    }

    private static Map<String, Object> header(String alg, String kid) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("alg", alg);
        if (kid != null) {
            h.put("kid", kid);
        }
        h.put("typ", "JWT");
        return h;
    }

    private static String part(Map<String, Object> json) {
        return B64.encodeToString(Json.writeBytes(json));
    }
}
