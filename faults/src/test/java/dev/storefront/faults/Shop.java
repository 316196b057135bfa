package dev.storefront.faults;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import dev.storefront.common.testing.Accounts;
import dev.storefront.common.testing.TestHttp;
import dev.storefront.launcher.Services;
import dev.storefront.launcher.Settings;

/**
 * What a test knows about a running platform (one-process or split): its URL, its settings and
 * so its databases, and the few shop actions tests set themselves up with. Databases are named
 * {@code sff_<id>_<service>} and dropped on {@link #dropDatabases()}.
 */
final class Shop {
    static final String PASSWORD = "correct-horse-9";

    final String id = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36);
    final Settings settings;
    TestHttp api;

    Shop(String dbHost, String natsUrl, Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(extra);
        config.put("storefront.events.stream", "F" + id.toUpperCase());
        config.put("storefront.events.subject-prefix", "f" + id);
        settings = new Settings(0, dbHost, "postgres", "", "sff_" + id + "_", natsUrl, false, config);
    }

    /**
     * The settings a split platform under load and faults runs with: short HTTP and saga timings so a killed
     * service is noticed and recovered within the test, generous rate limits for the test's own shoppers, and a
     * low bcrypt cost so registering them does not eat the machine. {@code overrides} win.
     */
    static Map<String, String> underLoad(Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>(Map.of(
                "storefront.http.timeout-ms", "3000",
                "storefront.db.pool-size", "4",
                "storefront.checkout.stuck-after-seconds", "12",
                "storefront.checkout.recovery-interval-seconds", "2",
                "storefront.checkout.wait-seconds", "6",
                "storefront.checkout.rate-limit-per-minute", "100000",
                "storefront.auth.rate.register-per-ip", "100000",
                "storefront.auth.rate.login-per-ip", "100000",
                "storefront.auth.bcrypt-cost", "4"));
        config.putAll(overrides);
        return config;
    }

    void connect(int port, Duration timeout) {
        api = new TestHttp("http://127.0.0.1:" + port, timeout);
    }

    Connection db(String service) throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(service), settings.dbUser(), settings.dbPassword());
    }

    /** Runs a query returning rows as maps (column label -> value). */
    List<Map<String, Object>> rows(String service, String sql, Object... params) {
        try (Connection c = db(service); var st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(service + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    long count(String service, String sql, Object... params) {
        Object v = rows(service, sql, params).getFirst().values().iterator().next();
        return v == null ? 0 : ((Number) v).longValue();
    }

    /** The names of a service's own tables (not Flyway's). */
    List<String> tables(String service) {
        return rows(service, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                + "AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'flyway%' ORDER BY 1").stream()
                .map(r -> (String) r.get("table_name")).toList();
    }

    /** A fingerprint of every row of every table of every service (row counts and contents). */
    Map<String, String> fingerprint(java.util.Set<String> ignoredTables) {
        Map<String, String> prints = new java.util.TreeMap<>();
        for (Services s : Services.values()) {
            for (String table : tables(s.id())) {
                if (ignoredTables.contains(table) || ignoredTables.contains(s.id() + "." + table)) {
                    continue;
                }
                var row = rows(s.id(), "SELECT count(*) AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM \""
                        + table + "\" t").getFirst();
                prints.put(s.id() + "." + table, row.get("n") + ":" + row.get("h"));
            }
        }
        return prints;
    }

    /**
     * Set-up calls right after start: a platform that just came up may still be warming (or a
     * dependency may not be ready), so a timeout or 5xx is retried for up to a minute and a half.
     */
    private TestHttp patient() {
        return api.patient(Duration.ofSeconds(90));
    }

    String login(String email) {
        return Accounts.login(patient(), email, PASSWORD).accessToken();
    }

    record Session(String userId, String email, String accessToken, String refreshToken) {
        static Session of(Accounts.Session s) {
            return new Session(s.userId().toString(), s.email(), s.accessToken(), s.refreshToken());
        }
    }

    /** Registers a user with this role (customer or vendor) and logs them in. */
    Session newUser(String name, String role) {
        String email = name.toLowerCase().replaceAll("[^a-z0-9]", "") + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        return Session.of(Accounts.register(patient(), name, email, PASSWORD, role));
    }

    Session admin() {
        return Session.of(Accounts.login(patient(), "admin@storefront.local", "admin12345"));
    }

    /** Creates a product as {@code token} (admin or vendor) and, when stock > 0, gives it stock as admin. */
    String newProduct(String token, String adminToken, String name, String price, int stock) {
        return Accounts.newProduct(patient(), token, adminToken, name, price, stock);
    }

    static Map<String, Object> address(String name) {
        return Map.of("fullName", name, "line1", "1 Main Street", "city", "Springfield", "postalCode", "12345", "country", "US");
    }

    /** Drops this shop's databases (best effort). */
    void dropDatabases() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + settings.dbHost() + "/postgres",
                settings.dbUser(), settings.dbPassword()); var st = c.createStatement()) {
            for (Services s : Services.values()) {
                st.execute("DROP DATABASE IF EXISTS \"" + settings.dbPrefix() + s.id() + "\" WITH (FORCE)");
            }
        } catch (SQLException ignored) {
            // best effort: a leftover test database does no harm
        }
    }

    /**
     * Each durable consumer of this shop's stream with what it still holds (pending, delivered but not acked,
     * redelivered, last delivery): what a test that did not settle prints, so a stalled consumer shows.
     */
    String consumerStates() {
        try (var nats = io.nats.client.Nats.connect(settings.natsUrl())) {
            var jsm = nats.jetStreamManagement();
            StringBuilder out = new StringBuilder();
            for (var info : jsm.getConsumers("F" + id.toUpperCase())) {
                if (info.getNumPending() > 0 || info.getNumAckPending() > 0) {
                    out.append(String.format("%n  consumer %s: pending %d, unacked %d, redelivered %d, last delivery %s, waiting pulls %d",
                            info.getName(), info.getNumPending(), info.getNumAckPending(), info.getRedelivered(),
                            info.getDelivered().getLastActive(), info.getNumWaiting()));
                }
            }
            return out.length() == 0 ? " (every consumer has caught up)" : out.toString();
        } catch (Exception e) {
            return " (consumers unknown: " + e + ")";
        }
    }

    /** Deletes this shop's JetStream stream (best effort). */
    void deleteStream() {
        try (var nats = io.nats.client.Nats.connect(settings.natsUrl())) {
            nats.jetStreamManagement().deleteStream("F" + id.toUpperCase());
        } catch (Exception ignored) {
            // the stream may never have been created
        }
    }
}
