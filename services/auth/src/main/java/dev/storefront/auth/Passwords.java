package dev.storefront.auth;

import java.nio.charset.StandardCharsets;

import at.favre.lib.crypto.bcrypt.BCrypt;

/** bcrypt hashing (favre's maintained library). bcrypt reads at most 72 bytes, so longer ones are refused up front. */
final class Passwords {
    static final int MIN_CHARS = 8;
    static final int MAX_BYTES = 72;

    private final int cost;
    /**
     * Checked against when the email is unknown, so a miss takes as long as a wrong password.
     * Made on first use: hashing it at start-up cost a noticeable part of the launcher's start.
     */
    private volatile String decoyHash;

    Passwords(int cost) {
        this.cost = cost;
    }

    private String decoyHash() {
        String decoy = decoyHash;
        if (decoy == null) {
            decoy = hash("decoy-password-never-matches");
            decoyHash = decoy;
        }
        return decoy;
    }

    String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    boolean matches(String password, String hash) {
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return false;
        }
        return BCrypt.verifyer().verify(password.toCharArray(), hash == null ? decoyHash() : hash).verified && hash != null;
    }

    static boolean tooLong(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES;
    }
}
