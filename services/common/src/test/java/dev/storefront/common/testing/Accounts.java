package dev.storefront.common.testing;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.storefront.common.testing.TestHttp.Reply;

/**
 * Register, log in, add a product: what a test does through the public API of auth (alone, or the
 * whole platform), with a {@link TestHttp} pointed at it. Each step fails the test with the reply
 * when it does not succeed.
 */
public final class Accounts {
    private Accounts() {
    }

    /** Who logged in, with the tokens auth gave. */
    public record Session(UUID userId, String email, String accessToken, String refreshToken) {
    }

    public static Map<String, Object> registration(String name, String email, String password) {
        return Map.of("name", name, "email", email, "password", password);
    }

    /** Registers an account ({@code role} null for auth's default) and logs it in. */
    public static Session register(TestHttp http, String name, String email, String password, String role) {
        Map<String, Object> body = new LinkedHashMap<>(registration(name, email, password));
        if (role != null) {
            body.put("role", role);
        }
        Reply reg = http.post("/api/auth/register", null, body);
        if (reg.status() != 201) {
            throw new AssertionError("register " + email + " failed: " + reg);
        }
        return login(http, email, password);
    }

    public static Session login(TestHttp http, String email, String password) {
        Reply login = http.post("/api/auth/login", null, Map.of("email", email, "password", password));
        if (login.status() != 200) {
            throw new AssertionError("login " + email + " failed: " + login);
        }
        return new Session(UUID.fromString(login.data().path("user").path("id").asText()), email,
                login.data().path("accessToken").asText(), login.data().path("refreshToken").asText());
    }

    /** A fresh customer {@code <label>-<random>@example.com} whose password is {@code password-<label>}. */
    public static Session newCustomer(TestHttp http, String label) {
        String email = label + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        return register(http, "Test " + label, email, "password-" + label, null);
    }

    /** Creates a product as {@code adminToken} (in the first category, if any) with {@code stock} units; returns its id. */
    public static String newProduct(TestHttp http, String adminToken, String name, String price, int stock) {
        return newProduct(http, adminToken, adminToken, name, price, stock);
    }

    /** Creates a product as {@code token} (an admin's or a vendor's) and gives it stock as {@code adminToken}. */
    public static String newProduct(TestHttp http, String token, String adminToken, String name, String price, int stock) {
        String categoryId = http.get("/api/categories", null).data().path(0).path("id").asText(null);
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("description", "End-to-end test product " + name);
        body.put("price", new BigDecimal(price));
        body.put("currency", "USD");
        if (categoryId != null) {
            body.put("categoryId", categoryId);
        }
        Reply created = http.post("/api/products", token, body);
        if (created.status() != 201) {
            throw new AssertionError("create product failed: " + created);
        }
        String id = created.data().path("id").asText();
        if (stock > 0) {
            Reply added = http.post("/api/inventory/add", adminToken, Map.of("productId", id, "quantity", stock));
            if (added.status() >= 300) {
                throw new AssertionError("add stock failed: " + added);
            }
        }
        return id;
    }
}
