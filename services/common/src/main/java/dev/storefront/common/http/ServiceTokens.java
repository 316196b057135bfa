package dev.storefront.common.http;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * This service's own token for /internal routes, obtained from auth with the client credentials
 * and cached until shortly before it expires.
 */
public final class ServiceTokens implements Supplier<String> {
    private final ServiceClient auth;
    private final String clientId;
    private final String clientSecret;
    private volatile String token;
    private volatile Instant refreshAt = Instant.EPOCH;

    public ServiceTokens(String authBaseUrl, String clientId, String clientSecret) {
        this.auth = new ServiceClient("auth", authBaseUrl, null, Duration.ofSeconds(5), 3);
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    @Override
    public String get() {
        String current = token;
        if (current != null && Instant.now().isBefore(refreshAt)) {
            return current;
        }
        synchronized (this) {
            if (token != null && Instant.now().isBefore(refreshAt)) {
                return token;
            }
            JsonNode answer = auth.post("/internal/auth/token", Map.of("clientId", clientId, "clientSecret", clientSecret));
            long expiresIn = answer.path("expiresIn").asLong(300);
            token = answer.path("accessToken").asText();
            refreshAt = Instant.now().plusSeconds(Math.max(5, expiresIn - 60));
            return token;
        }
    }
}
