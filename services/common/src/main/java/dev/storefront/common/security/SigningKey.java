package dev.storefront.common.security;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkRSA;

/**
 * An RS256 signing key pair as auth keeps it (PKCS#8 PEM) and as Helidon's JWT types use it. The
 * {@code kid} is the key's RFC 7638 thumbprint, so the same key always has the same id on every
 * replica. Helidon's {@link JwkRSA} neither computes thumbprints nor writes JWK JSON: both are the
 * few lines below ({@link #publicJwk()} is what /.well-known/jwks.json lists).
 */
public record SigningKey(String kid, RSAPrivateCrtKey privateKey, RSAPublicKey publicKey) {
    public static final int MIN_BITS = 2048;
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    public static SigningKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(MIN_BITS);
            return of((RSAPrivateCrtKey) generator.generateKeyPair().getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is always available in the JDK", e);
        }
    }

    /** A PKCS#8 PEM ({@code BEGIN PRIVATE KEY}); literal {@code \n} (as in an env var) count as line breaks. */
    public static SigningKey fromPem(String pem) {
        if (pem.contains("BEGIN RSA PRIVATE KEY")) {
            throw new IllegalArgumentException("the signing key must be PKCS#8 (BEGIN PRIVATE KEY); convert with openssl pkcs8 -topk8 -nocrypt");
        }
        String base64 = pem.replace("\\n", "\n")
                .replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        RSAPrivateCrtKey priv;
        try {
            priv = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("the signing key is not an RSA private key in PKCS#8 PEM", e);
        }
        if (priv.getModulus().bitLength() < MIN_BITS) {
            throw new IllegalArgumentException("the signing key must be an RSA key of at least " + MIN_BITS + " bits");
        }
        return of(priv);
    }

    private static SigningKey of(RSAPrivateCrtKey priv) {
        try {
            RSAPublicKey pub = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
            return new SigningKey(thumbprint(pub), priv, pub);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String toPem() {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(privateKey.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** The key that signs: RS256, use {@code sig}. */
    public JwkRSA signer() {
        return JwkRSA.builder().keyId(kid).algorithm(JwkRSA.ALG_RS256).usage(Jwk.USE_SIGNATURE)
                .publicKey(publicKey).privateKey(privateKey).build();
    }

    /** The public half, for verifiers. */
    public JwkRSA verifier() {
        return JwkRSA.builder().keyId(kid).algorithm(JwkRSA.ALG_RS256).usage(Jwk.USE_SIGNATURE).publicKey(publicKey).build();
    }

    /** The public half as a JWK (RFC 7517): kty, use, alg, kid, n, e. */
    public Map<String, Object> publicJwk() {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("use", Jwk.USE_SIGNATURE);
        jwk.put("alg", JwkRSA.ALG_RS256);
        jwk.put("kid", kid);
        jwk.put("n", unsigned(publicKey.getModulus()));
        jwk.put("e", unsigned(publicKey.getPublicExponent()));
        return jwk;
    }

    /** RFC 7638: SHA-256 over the required members in lexicographic order, no spaces. */
    public static String thumbprint(RSAPublicKey key) {
        String canonical = "{\"e\":\"" + unsigned(key.getPublicExponent()) + "\",\"kty\":\"RSA\",\"n\":\"" + unsigned(key.getModulus()) + "\"}";
        try {
            return B64URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Base64url of the big-endian magnitude, without the sign byte BigInteger adds (RFC 7518 6.3.1). */
    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return B64URL.encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "SigningKey[" + kid + "]"; // never the private part in a log line
    }
}
