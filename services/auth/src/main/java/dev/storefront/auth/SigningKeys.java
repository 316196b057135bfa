package dev.storefront.auth;

import java.lang.System.Logger.Level;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.helidon.config.Config;

/**
 * Where auth's RSA signing key comes from: config {@code storefront.auth.signing-key} (PKCS#8 PEM,
 * e.g. from the Secret the operator writes), else one generated once and kept in the auth database
 * so restarts and replicas sign with the same key. The {@code kid} is the key's RFC 7638 thumbprint.
 */
final class SigningKeys {
    private static final System.Logger LOG = System.getLogger(SigningKeys.class.getName());
    private static final int MIN_BITS = 2048;

    private SigningKeys() {
    }

    static RSAKey load(Config config, AuthRepository repo) {
        var configured = config.get("storefront.auth.signing-key").asString().filter(s -> !s.isBlank());
        if (configured.isPresent()) {
            return fromPem(configured.get());
        }
        return repo.signingKey().map(SigningKeys::fromPem).orElseGet(() -> {
            RSAKey generated = generate();
            // two replicas starting at once may both generate: the first insert wins, both use it
            repo.storeSigningKeyIfAbsent(generated.getKeyID(), toPem(generated));
            String stored = repo.signingKey().orElseThrow(() -> new IllegalStateException("signing key vanished"));
            RSAKey key = fromPem(stored);
            if (key.getKeyID().equals(generated.getKeyID())) {
                LOG.log(Level.INFO, "Generated a signing key (kid " + key.getKeyID() + ") and stored it in the auth database");
            }
            return key;
        });
    }

    static RSAKey fromPem(String pem) {
        String base64 = pem.replace("\\n", "\n")
                .replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        if (pem.contains("BEGIN RSA PRIVATE KEY")) {
            throw new IllegalArgumentException("storefront.auth.signing-key must be PKCS#8 (BEGIN PRIVATE KEY); convert with "
                    + "openssl pkcs8 -topk8 -nocrypt");
        }
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey priv = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            if (priv.getModulus().bitLength() < MIN_BITS) {
                throw new IllegalArgumentException("storefront.auth.signing-key must be an RSA key of at least " + MIN_BITS + " bits");
            }
            RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
            return new RSAKey.Builder(pub).privateKey(priv).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint().build();
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException | JOSEException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith("storefront")) {
                throw iae;
            }
            throw new IllegalArgumentException("storefront.auth.signing-key is not an RSA private key in PKCS#8 PEM", e);
        }
    }

    static String toPem(RSAKey key) {
        try {
            byte[] der = key.toRSAPrivateKey().getEncoded();
            return "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END PRIVATE KEY-----\n";
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static RSAKey generate() {
        try {
            RSAKey raw = new RSAKeyGenerator(MIN_BITS).generate();
            return fromPem(toPem(raw));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
