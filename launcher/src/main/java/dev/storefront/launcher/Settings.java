package dev.storefront.launcher;

import java.util.HashMap;
import java.util.Map;

import io.helidon.config.Config;

/**
 * How the launcher runs the platform: the port, where PostgreSQL and NATS are, whether to load
 * demo data, and any extra config handed to every service (payment provider, mail, …).
 */
public record Settings(int port, String dbHost, String dbUser, String dbPassword, String dbPrefix, String natsUrl,
                boolean demoData, Map<String, String> extra) {

    public static Settings from(Config config, int port, boolean demoData) {
        String dbHost = config.get("storefront.db.host").asString().orElse("127.0.0.1:5432");
        // every other storefront.* setting (payment, mail, rate limits, …) goes to every service as given
        Map<String, String> extra = new HashMap<>();
        config.get("storefront").traverse().filter(Config::isLeaf).forEach(node -> {
            String key = node.key().toString();
            if (!key.startsWith("storefront.db.") && !key.startsWith("storefront.services.")) {
                node.asString().ifPresent(value -> extra.put(key, value));
            }
        });
        return new Settings(port, dbHost,
                config.get("storefront.db.user").asString().orElse("postgres"),
                config.get("storefront.db.password").asString().orElse(""),
                config.get("storefront.db.name-prefix").asString().orElse("storefront_"),
                config.get("nats.url").asString().orElse("nats://127.0.0.1:4222"),
                demoData, extra);
    }

    public String jdbcUrl(String service) {
        return "jdbc:postgresql://" + dbHost + "/" + dbPrefix + service;
    }

    /** The config of one service: its own database, every other service at {@code baseUrl(service)}. */
    Map<String, String> serviceConfig(String service, java.util.function.Function<String, String> baseUrl) {
        Map<String, String> values = new HashMap<>(extra);
        values.put("storefront.db.url", jdbcUrl(service));
        values.put("storefront.db.user", dbUser);
        values.put("storefront.db.password", dbPassword);
        // eight pools share one PostgreSQL (max_connections 100 by default): keep each small
        values.putIfAbsent("storefront.db.pool-size", "6");
        values.put("nats.url", natsUrl);
        values.put("storefront.demo-data", String.valueOf(demoData));
        // no load balancer fronts a local process: it stops at once unless a drain delay is configured
        values.putIfAbsent("storefront.shutdown.drain-ms", "0");
        // a URL given in extra wins (e.g. a fault test puts a slow proxy between checkout and payment)
        for (Services s : Services.values()) {
            values.putIfAbsent("storefront.services." + s.id() + ".url", baseUrl.apply(s.id()));
        }
        values.putIfAbsent("storefront.auth.jwks-url", baseUrl.apply("auth") + "/api/auth/.well-known/jwks.json");
        return values;
    }
}
