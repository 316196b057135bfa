package dev.storefront.auth;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceServer;
import dev.storefront.common.testing.TestEnv;
import dev.storefront.common.testing.TestHttp;
import io.helidon.webserver.WebServer;

import static org.assertj.core.api.Assertions.assertThat;

/** auth running on port 0 against a test class's own databases and stream, built the way Main builds it. */
final class AuthTestServer implements AutoCloseable {
    final TestEnv env;
    final ServiceContext ctx;
    final AuthModule module;
    final WebServer server;
    final TestHttp http;

    AuthTestServer(Map<String, String> config) {
        env = new TestEnv();
        env.set("storefront.auth.bcrypt-cost", "4"); // fast hashes: the tests are about the flow, not bcrypt
        config.forEach(env::set);
        // an ordinary context: auth must not depend on a verifier handed to it
        ctx = ServiceContext.builder("auth", env.config("auth")).build();
        module = AuthModule.create(ctx);
        // Helidon 4.1's metrics feature set-up is not thread-safe across servers starting at once
        synchronized (AuthTestServer.class) {
            server = ServiceServer.start(env.config("auth"), 0, List.of(module));
        }
        http = new TestHttp(server.port());
    }

    static Map<String, Object> registration(String name, String email, String password) {
        return Map.of("name", name, "email", email, "password", password);
    }

    /** Registers a fresh customer and logs in; returns the login data (accessToken, refreshToken, user). */
    Session newCustomer(String label) {
        String email = label + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        var reg = http.post("/api/auth/register", null, registration("Test " + label, email, "password-" + label));
        assertThat(reg.status()).as(reg.toString()).isEqualTo(201);
        var login = http.post("/api/auth/login", null, Map.of("email", email, "password", "password-" + label));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return new Session(UUID.fromString(login.data().path("user").path("id").asText()), email,
                login.data().path("accessToken").asText(), login.data().path("refreshToken").asText());
    }

    record Session(UUID userId, String email, String accessToken, String refreshToken) {
    }

    @Override
    public void close() {
        server.stop();
        module.close();
        env.close();
    }
}
