package dev.storefront.notify;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.storefront.common.web.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerResponse;

/** A tiny stand-in for auth's two internal routes notify calls. */
final class FakeAuth implements AutoCloseable {
    private final Map<String, Map<String, Object>> users = new ConcurrentHashMap<>();
    private final List<Map<String, Object>> admins = new CopyOnWriteArrayList<>();
    private final WebServer server;

    FakeAuth() {
        // Helidon 4.1 builds servers racily (metrics registry): test classes running in parallel take turns
        synchronized (dev.storefront.common.ServiceServer.class) {
            server = WebServer.builder().host("127.0.0.1").port(0)
                    .routing(r -> r
                            .get("/internal/auth/users/{id}", (req, res) -> {
                                if (!req.headers().contains(HeaderNames.AUTHORIZATION)) {
                                    send(res, 401, Map.of("success", false, "error", Map.of("code", "UNAUTHENTICATED", "message", "no token")));
                                    return;
                                }
                                Map<String, Object> user = users.get(req.path().pathParameters().get("id"));
                                if (user == null) {
                                    send(res, 404, Map.of("success", false, "error", Map.of("code", "NOT_FOUND", "message", "User not found")));
                                } else {
                                    send(res, 200, Map.of("success", true, "data", user));
                                }
                            })
                            .get("/internal/auth/admins", (req, res) -> send(res, 200, Map.of("success", true, "data", admins))))
                    .build().start();
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    UUID user(String name, String email) {
        UUID id = UUID.randomUUID();
        users.put(id.toString(), Map.of("id", id, "name", name, "email", email, "role", "customer"));
        return id;
    }

    String email(UUID id) {
        return (String) users.get(id.toString()).get("email");
    }

    UUID admin(String name, String email) {
        UUID id = user(name, email);
        admins.add(users.get(id.toString()));
        return id;
    }

    private static void send(ServerResponse res, int status, Object body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.writeBytes(body));
    }

    @Override
    public void close() {
        server.stop();
    }
}
