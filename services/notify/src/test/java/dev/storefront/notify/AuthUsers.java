package dev.storefront.notify;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.storefront.common.testing.FakeNeighbour;
import dev.storefront.common.testing.TestKeys;
import dev.storefront.common.web.ApiException;

/** The users and admins auth knows, served by a fake auth on the two internal routes notify calls. */
final class AuthUsers {
    private final Map<String, Map<String, Object>> users = new ConcurrentHashMap<>();
    private final List<Map<String, Object>> admins = new CopyOnWriteArrayList<>();
    final FakeNeighbour fake = new FakeNeighbour().requireServiceTokens(TestKeys.shared())
            .on("GET", "/internal/auth/users/{id}", call -> {
                Map<String, Object> user = users.get(call.param("id"));
                if (user == null) {
                    throw ApiException.notFound("User");
                }
                return user;
            })
            .on("GET", "/internal/auth/admins", call -> admins);

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
}
