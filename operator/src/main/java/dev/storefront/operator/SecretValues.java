package dev.storefront.operator;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Generated credentials. Each is made once and then kept in its Secret; the operator never rotates them by itself. */
public final class SecretValues {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private SecretValues() {
    }

    /** Letters and digits only, so the value needs no quoting in URLs, env vars or SQL. */
    public static String password(int length) {
        var chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }

    /** A fresh RS256 signing key as PKCS#8 PEM, the form auth reads from STOREFRONT_AUTH_SIGNING_KEY. */
    public static String rsaPrivateKeyPem() {
        try {
            var generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
            return "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(pkcs8)
                    + "\n-----END PRIVATE KEY-----\n";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is always available in the JDK", e);
        }
    }
}
