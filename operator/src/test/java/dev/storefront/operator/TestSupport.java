package dev.storefront.operator;

import dev.storefront.operator.model.Storefront;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Paths into the repository and the local PostgreSQL the tests use. */
final class TestSupport {
    static final String PG_HOST = "127.0.0.1";
    static final int PG_PORT = 5432;

    private TestSupport() {
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("storefront.repo.root", "..")).toAbsolutePath().normalize();
    }

    static Path generatedCrd() {
        return Path.of(System.getProperty("crd.generated.dir", "target/generated-crds"))
                .resolve("storefronts.storefront.dev-v1.yml");
    }

    static Storefront example(KubernetesClient client, String file) throws IOException {
        try (InputStream in = Files.newInputStream(repoRoot().resolve("examples").resolve(file))) {
            return client.resources(Storefront.class).load(in).item();
        }
    }

    /** A name no other test (or engineer's test run) on this PostgreSQL uses. */
    static String uniquePrefix() {
        return "optest_" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
    }

    static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/postgres", "postgres", "");
    }

    static List<String> databasesLike(String prefix) throws SQLException {
        try (var connection = admin();
             var statement = connection.prepareStatement("SELECT datname FROM pg_database WHERE datname LIKE ? ORDER BY 1")) {
            statement.setString(1, prefix + "%");
            var names = new ArrayList<String>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            return names;
        }
    }

    static List<String> rolesLike(String prefix) throws SQLException {
        try (var connection = admin();
             var statement = connection.prepareStatement("SELECT rolname FROM pg_roles WHERE rolname LIKE ? ORDER BY 1")) {
            statement.setString(1, prefix + "%");
            var names = new ArrayList<String>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            return names;
        }
    }

    /**
     * Whether the role's stored SCRAM-SHA-256 verifier is that of this password. The local server trusts every
     * login (pg_hba trust), so logging in proves nothing about a password; the verifier does (RFC 5802:
     * StoredKey = H(HMAC(PBKDF2(password, salt, i), "Client Key"))).
     */
    static boolean passwordMatches(String role, String password) throws Exception {
        String verifier;
        try (var connection = admin();
             var statement = connection.prepareStatement("SELECT rolpassword FROM pg_authid WHERE rolname = ?")) {
            statement.setString(1, role);
            try (var rows = statement.executeQuery()) {
                if (!rows.next() || rows.getString(1) == null) {
                    return false;
                }
                verifier = rows.getString(1);
            }
        }
        var parts = java.util.regex.Pattern.compile("SCRAM-SHA-256\\$(\\d+):([^$]+)\\$([^:]+):(.+)").matcher(verifier);
        if (!parts.matches()) {
            throw new IllegalStateException("not a SCRAM-SHA-256 verifier (password_encryption?): " + verifier.substring(0, 6));
        }
        var decoder = java.util.Base64.getDecoder();
        var spec = new javax.crypto.spec.PBEKeySpec(password.toCharArray(), decoder.decode(parts.group(2)),
                Integer.parseInt(parts.group(1)), 256);
        byte[] salted = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        var hmac = javax.crypto.Mac.getInstance("HmacSHA256");
        hmac.init(new javax.crypto.spec.SecretKeySpec(salted, "HmacSHA256"));
        byte[] clientKey = hmac.doFinal("Client Key".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] storedKey = java.security.MessageDigest.getInstance("SHA-256").digest(clientKey);
        return java.security.MessageDigest.isEqual(storedKey, decoder.decode(parts.group(3)));
    }

    /** Drops whatever a test left behind under its prefix. */
    static void dropAll(String prefix) throws SQLException {
        try (var connection = admin(); var sql = connection.createStatement()) {
            for (String db : databasesLike(prefix)) {
                sql.execute("DROP DATABASE IF EXISTS \"" + db + "\" WITH (FORCE)");
            }
            for (String role : rolesLike(prefix)) {
                sql.execute("DROP ROLE IF EXISTS \"" + role + "\"");
            }
        }
    }
}
