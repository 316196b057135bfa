package dev.storefront.launcher;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.testing.Accounts;
import dev.storefront.common.testing.TestEnv;
import dev.storefront.common.testing.TestHttp;

/**
 * The whole platform in one process for an end-to-end test class: its own databases
 * ({@code sfe_<id>_<service>}), its own JetStream stream, real HTTP between services.
 */
final class PlatformFixture implements AutoCloseable {
    final String id = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36);
    final Settings settings;
    final OneProcessPlatform platform;
    final TestHttp http;

    PlatformFixture(boolean demoData, Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(extra);
        // every test shopper comes from 127.0.0.1: lift the per-IP limits meant for the internet
        config.putIfAbsent("storefront.auth.rate.register-per-ip", "100000");
        config.putIfAbsent("storefront.auth.rate.login-per-ip", "100000");
        config.put("storefront.events.stream", "E" + id.toUpperCase());
        config.put("storefront.events.subject-prefix", "e" + id);
        settings = new Settings(0, TestEnv.PG_HOST, "postgres", "", "sfe_" + id + "_", TestEnv.NATS_URL, demoData, config);
        platform = OneProcessPlatform.start(settings);
        http = new TestHttp(platform.port());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + platform.port();
    }

    Connection db(String service) throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(service), "postgres", "");
    }

    long count(String service, String sql, Object... params) {
        try (Connection c = db(service); var st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            var rs = st.executeQuery();
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    String login(String email, String password) {
        return Accounts.login(http, email, password).accessToken();
    }

    String adminToken() {
        return login("admin@storefront.local", "admin12345");
    }

    /** Registers and logs in a new customer; returns its access token. */
    String newShopper(String name) {
        String email = name.toLowerCase().replaceAll("[^a-z0-9]", "") + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        return Accounts.register(http, name, email, "correct-horse-9", "customer").accessToken();
    }

    /** Creates a product as admin and gives it {@code stock} units; returns its id. */
    String newProduct(String adminToken, String name, String price, int stock) {
        return Accounts.newProduct(http, adminToken, name, price, stock);
    }

    static Map<String, Object> address(String name) {
        return Map.of("fullName", name, "line1", "1 Main Street", "city", "Springfield", "postalCode", "12345",
                "country", "US");
    }

    TestHttp.Reply checkout(String token, String key, String paymentMethod) {
        return http.send("POST", "/api/checkout", token,
                Map.of("shippingAddress", address("Shopper"), "paymentMethod", paymentMethod),
                Map.of("Idempotency-Key", key));
    }

    JsonNode stock(String productId) {
        return http.get("/api/inventory/" + productId, null).data();
    }

    List<String> services() {
        return platform.modules().stream().map(m -> m.name()).toList();
    }

    @Override
    public void close() {
        platform.close();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + TestEnv.PG_HOST + "/postgres", "postgres", "");
             var st = c.createStatement()) {
            for (Services s : Services.values()) {
                st.execute("DROP DATABASE IF EXISTS \"" + settings.dbPrefix() + s.id() + "\" WITH (FORCE)");
            }
        } catch (SQLException ignored) {
            // best effort
        }
        try (var nats = io.nats.client.Nats.connect(TestEnv.NATS_URL)) {
            nats.jetStreamManagement().deleteStream("E" + id.toUpperCase());
        } catch (Exception ignored) {
            // best effort
        }
    }
}
