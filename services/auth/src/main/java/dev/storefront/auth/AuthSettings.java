package dev.storefront.auth;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;

/**
 * auth's own configuration, read once. Everything has a local default so the service runs with
 * no config at all; a real cluster overrides the secrets (signing key, service clients, admin).
 */
record AuthSettings(
        Duration accessTokenTtl,
        Duration serviceTokenTtl,
        Duration refreshTokenTtl,
        int bcryptCost,
        String adminEmail,
        String adminPassword,
        Map<String, String> serviceClients,
        int loginAttemptsPerEmail,
        Duration loginEmailWindow,
        int loginAttemptsPerIp,
        Duration loginIpWindow,
        int registrationsPerIp,
        Duration registrationIpWindow,
        String clientIpHeader,
        Duration keyReload) {

    static final List<String> SERVICES = List.of("auth", "catalog", "inventory", "cart", "order", "checkout", "payment", "notify", "search");

    static AuthSettings from(Config config) {
        Config auth = config.get("storefront.auth");
        Config rate = auth.get("rate");
        return new AuthSettings(
                Duration.ofSeconds(auth.get("access-token-ttl-seconds").asLong().orElse(900L)),
                Duration.ofSeconds(auth.get("service-token-ttl-seconds").asLong().orElse(300L)),
                Duration.ofDays(auth.get("refresh-token-ttl-days").asLong().orElse(30L)),
                auth.get("bcrypt-cost").asInt().orElse(11),
                auth.get("admin.email").asString().orElse("admin@storefront.local"),
                auth.get("admin.password").asString().orElse("admin12345"),
                serviceClients(auth.get("service-clients").asString().orElse("")),
                rate.get("login-per-email").asInt().orElse(5),
                Duration.ofSeconds(rate.get("login-per-email-window-seconds").asLong().orElse(900L)),
                rate.get("login-per-ip").asInt().orElse(60),
                Duration.ofSeconds(rate.get("login-per-ip-window-seconds").asLong().orElse(60L)),
                rate.get("register-per-ip").asInt().orElse(20),
                Duration.ofSeconds(rate.get("register-per-ip-window-seconds").asLong().orElse(600L)),
                // behind an ingress every peer is the ingress: name the header it appends the client to
                auth.get("client-ip-header").asString().filter(h -> !h.isBlank()).orElse(null),
                // how often each replica reads the key ring again; a rotated-in key signs after twice this
                Duration.ofSeconds(auth.get("key-reload-seconds").asLong().filter(s -> s > 0).orElse(30L)));
    }

    /** The longest a JWT auth signs stays valid: a key verifies this long after it stopped signing (refresh tokens are opaque, not JWTs). */
    Duration longestTokenTtl() {
        return accessTokenTtl.compareTo(serviceTokenTtl) >= 0 ? accessTokenTtl : serviceTokenTtl;
    }

    /** {@code id:secret,id:secret}; empty means every service with its dev secret (local runs). */
    static Map<String, String> serviceClients(String spec) {
        Map<String, String> clients = new LinkedHashMap<>();
        if (spec.isBlank()) {
            SERVICES.forEach(s -> clients.put(s, "dev-secret-" + s));
            return clients;
        }
        for (String entry : spec.split(",")) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new IllegalArgumentException("storefront.auth.service-clients: expected id:secret, got an entry without both");
            }
            clients.put(trimmed.substring(0, colon), trimmed.substring(colon + 1));
        }
        return clients;
    }
}
