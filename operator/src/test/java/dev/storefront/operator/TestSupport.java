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
