package dev.storefront.common.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.storefront.common.ServiceContext;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * An isolated environment for one test class on the shared PostgreSQL and NATS: its own
 * databases ({@code sft_<id>_<service>}) and its own JetStream stream and subject prefix, so test
 * classes run in parallel without seeing each other's rows or events. Dropped on close.
 */
public final class TestEnv implements AutoCloseable {
    public static final String PG_HOST = System.getenv().getOrDefault("STOREFRONT_TEST_PG", "127.0.0.1:5432");
    public static final String NATS_URL = System.getenv().getOrDefault("NATS_URL", "nats://127.0.0.1:4222");

    static {
        io.helidon.logging.common.LogConfig.configureRuntime();
    }

    private final String id = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36);
    private final Map<String, String> extra = new HashMap<>();
    private final java.util.List<String> databases = new java.util.ArrayList<>();
    private final TestKeys keys = TestKeys.shared();

    public String id() {
        return id;
    }

    public TestKeys keys() {
        return keys;
    }

    /** Adds a config value for every service of this env (e.g. service URLs). */
    public TestEnv set(String key, String value) {
        extra.put(key, value);
        return this;
    }

    public String dbName(String service) {
        return "sft_" + id + "_" + service;
    }

    public String jdbcUrl(String service) {
        return "jdbc:postgresql://" + PG_HOST + "/" + dbName(service);
    }

    /** The config a service of this env runs with. */
    public Config config(String service) {
        Map<String, String> values = new HashMap<>();
        values.put("storefront.db.url", jdbcUrl(service));
        values.put("storefront.db.user", "postgres");
        values.put("storefront.db.password", "");
        values.put("storefront.db.pool-size", "8");
        values.put("nats.url", NATS_URL);
        values.put("storefront.events.stream", "T" + id.toUpperCase());
        values.put("storefront.events.subject-prefix", "t" + id);
        values.putAll(extra);
        synchronized (databases) {
            if (!databases.contains(service)) {
                databases.add(service);
            }
        }
        return Config.just(ConfigSources.create(values));
    }

    /** A context whose tokens are verified with {@link #keys()} and which calls others with a test service token. */
    public ServiceContext context(String service) {
        return ServiceContext.builder(service, config(service))
                .verifier(keys.verifier())
                .serviceToken(() -> keys.serviceToken(service))
                .build();
    }

    public Connection jdbc(String service) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(service), "postgres", "");
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/postgres", "postgres", "");
             var st = c.createStatement()) {
            for (String service : databases) {
                st.execute("DROP DATABASE IF EXISTS \"" + dbName(service) + "\" WITH (FORCE)");
            }
        } catch (SQLException ignored) {
            // best effort: a leftover test database does no harm
        }
        try (var nats = io.nats.client.Nats.connect(NATS_URL)) {
            nats.jetStreamManagement().deleteStream("T" + id.toUpperCase());
        } catch (Exception ignored) {
            // the stream may never have been created
        }
    }
}
