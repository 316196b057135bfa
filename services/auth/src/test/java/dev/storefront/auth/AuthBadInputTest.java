package dev.storefront.auth;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.common.testing.Accounts;
import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.common.testing.TestHttp.Reply;
import dev.storefront.common.web.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed and hostile bodies against every auth route that takes one: each answer is a 4xx
 * envelope (naming the field where there is one) and no row anywhere changes.
 */
class AuthBadInputTest {
    @RegisterExtension
    static final ServiceFixture<AuthModule> AUTH = AuthFixture.with(Map.of( // limits out of the way: this class is about input, the throttle has its own test
            "storefront.auth.rate.register-per-ip", "100000",
            "storefront.auth.rate.login-per-ip", "100000", "storefront.auth.rate.login-per-email", "100000"));
    private static Accounts.Session session;
    private static String addressId;
    private static Connection jdbc;

    /** One route and a body that would be accepted, with the fields it must have. */
    record Route(String method, String path, boolean needsToken, Map<String, Object> valid, List<String> required) {
    }

    /** One hostile request: what it sends and, when known, the field the error must name. */
    record Case(String name, Route route, String body, String contentType, String field) {
    }

    @BeforeAll
    static void start() {
        session = Accounts.newCustomer(AUTH.http(), "hostile");
        Reply address = AUTH.http().post("/api/users/address", session.accessToken(), address());
        assertThat(address.status()).isEqualTo(201);
        addressId = address.data().path("id").asText();
        try {
            jdbc = AUTH.env().jdbc("auth");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        jdbc.close();
    }

    private static Map<String, Object> address() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("fullName", "Ann Example");
        a.put("line1", "1 Main St");
        a.put("line2", "Flat 2");
        a.put("city", "Springfield");
        a.put("region", "IL");
        a.put("postalCode", "62701");
        a.put("country", "US");
        a.put("phone", "+1 555 0100");
        return a;
    }

    private static List<Route> routes() {
        String email = "new-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        return List.of(
                new Route("POST", "/api/auth/register", false,
                        Map.of("name", "Newcomer", "email", email, "password", "long-enough", "role", "customer"),
                        List.of("name", "email", "password")),
                new Route("POST", "/api/auth/login", false,
                        Map.of("email", session.email(), "password", "password-hostile"), List.of("email", "password")),
                new Route("POST", "/api/auth/refresh", false, Map.of("refreshToken", session.refreshToken()), List.of("refreshToken")),
                new Route("POST", "/api/auth/logout", false, Map.of("refreshToken", session.refreshToken()), List.of("refreshToken")),
                new Route("PUT", "/api/users/profile", true,
                        Map.of("name", "Still Ann", "phone", "+1 555 0199", "preferences", Map.of("language", "en")), List.of()),
                new Route("POST", "/api/users/address", true, address(), List.of("fullName", "line1", "city", "postalCode", "country")),
                new Route("PUT", "/api/users/address/" + addressId, true, address(), List.of("fullName", "line1", "city", "postalCode", "country")),
                new Route("POST", "/internal/auth/token", false, Map.of("clientId", "catalog", "clientSecret", "dev-secret-catalog"),
                        List.of("clientId", "clientSecret")));
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        String tenMegabytes = "{\"name\":\"" + "a".repeat(10 * 1024 * 1024) + "\"}";
        for (Route r : routes()) {
            String valid = Json.write(r.valid());
            cases.add(new Case("malformed JSON", r, valid.substring(0, valid.length() - 3), null, null));
            cases.add(new Case("trailing garbage", r, valid + " {}", null, null));
            cases.add(new Case("array instead of object", r, "[" + valid + "]", null, null));
            cases.add(new Case("bare string", r, "\"hello\"", null, null));
            cases.add(new Case("JSON null", r, "null", null, null));
            cases.add(new Case("empty body", r, "", null, null));
            cases.add(new Case("duplicate key", r, valid.replaceFirst("\\{", "{\"" + r.valid().keySet().iterator().next() + "\":\"x\","), null, null));
            cases.add(new Case("deep nesting", r, "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", null, null));
            cases.add(new Case("unknown field", r, Json.write(with(r.valid(), "isAdmin", true)), null, "isAdmin"));
            cases.add(new Case("wrong content type", r, valid, "text/plain", null));
            cases.add(new Case("form content type", r, "email=a%40b.c&password=x", "application/x-www-form-urlencoded", null));
            cases.add(new Case("10 MB body", r, tenMegabytes, null, null));
            String firstText = r.valid().keySet().iterator().next();
            cases.add(new Case(firstText + " over the body limit (300k)", r, Json.write(with(r.valid(), firstText, "x".repeat(300_000))), null, null));
            if (!r.required().isEmpty()) {
                cases.add(new Case("all fields missing", r, "{}", null, r.required().getFirst()));
            }
            for (String field : r.required()) {
                Map<String, Object> missing = new LinkedHashMap<>(r.valid());
                missing.remove(field);
                cases.add(new Case("missing " + field, r, Json.write(missing), null, field));
                cases.add(new Case("blank " + field, r, Json.write(with(r.valid(), field, "   ")), null, field));
            }
            for (Map.Entry<String, Object> e : r.valid().entrySet()) {
                String f = e.getKey();
                if (e.getValue() instanceof String) {
                    cases.add(new Case(f + " as number", r, Json.write(with(r.valid(), f, 12345678)), null, f));
                    cases.add(new Case(f + " as boolean", r, Json.write(with(r.valid(), f, true)), null, f));
                    cases.add(new Case(f + " as object", r, Json.write(with(r.valid(), f, Map.of("$gt", ""))), null, f));
                    cases.add(new Case(f + " as array", r, Json.write(with(r.valid(), f, List.of("a"))), null, f));
                    cases.add(new Case(f + " huge (10k)", r, Json.write(with(r.valid(), f, "x".repeat(10_000))), null,
                            expectsField(r, f)));
                    cases.add(new Case(f + " with NUL", r, Json.write(with(r.valid(), f, e.getValue() + "\u0000")), null, expectsField(r, f)));
                    cases.add(new Case(f + " with ESC", r, Json.write(with(r.valid(), f, "\u001b[31m" + e.getValue())), null, expectsField(r, f)));
                } else {
                    cases.add(new Case(f + " as string", r, Json.write(with(r.valid(), f, "not-a-map")), null, f));
                }
            }
        }
        Route address = routes().get(5);
        cases.add(new Case("isDefault as string", address, Json.write(with(address.valid(), "isDefault", "yes")), null, "isDefault"));
        cases.add(new Case("unknown country", address, Json.write(with(address.valid(), "country", "XX")), null, "country"));
        cases.add(new Case("bad phone", address, Json.write(with(address.valid(), "phone", "call me maybe")), null, "phone"));
        Route register = routes().get(0);
        cases.add(new Case("short password", register, Json.write(with(register.valid(), "password", "short")), null, "password"));
        cases.add(new Case("bad email", register, Json.write(with(register.valid(), "email", "not-an-email")), null, "email"));
        cases.add(new Case("admin role", register, Json.write(with(register.valid(), "role", "admin")), null, "role"));
        Route profile = routes().get(4);
        cases.add(new Case("nested preference", profile, Json.write(with(profile.valid(), "preferences", Map.of("a", Map.of("b", 1)))), null, "preferences.a"));
        cases.add(new Case("bad preference key", profile, Json.write(with(profile.valid(), "preferences", Map.of("a b", 1))), null, "preferences"));
        return cases;
    }

    /** Login and refresh answer a wrong secret value with 401, not a field error; the rest name the field. */
    private static String expectsField(Route r, String field) {
        boolean secretValue = (r.path().endsWith("/login") && field.equals("password"))
                || r.path().endsWith("/refresh") || r.path().endsWith("/logout") || r.path().endsWith("/token");
        return secretValue ? null : field;
    }

    private static Map<String, Object> with(Map<String, Object> base, String field, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        m.put(field, value);
        return m;
    }

    @Test
    void everyHostileBodyGetsA4xxEnvelopeAndWritesNothing() throws Exception {
        List<Case> cases = cases();
        List<String> failures = new ArrayList<>();
        String before = snapshot();
        for (Case c : cases) {
            Map<String, String> headers = c.contentType() == null ? Map.of() : Map.of("Content-Type", c.contentType());
            Reply reply;
            try {
                reply = AUTH.http().send(c.route().method(), c.route().path(), c.route().needsToken() ? session.accessToken() : null,
                        c.body(), headers);
            } catch (IllegalStateException e) {
                failures.add(c.route().path() + " / " + c.name() + ": no answer (" + e.getMessage() + ")");
                continue;
            }
            String label = c.route().method() + " " + c.route().path() + " / " + c.name() + " -> " + reply.status() + " "
                    + abbreviate(reply.raw().body());
            if (reply.status() < 400 || reply.status() >= 500 || reply.status() == 429) {
                failures.add(label);
            } else if (reply.body().path("success").asBoolean(true) || reply.errorCode().isEmpty()
                    || reply.body().path("requestId").asText().isEmpty()) {
                failures.add(label + " (not an error envelope)");
            } else if (c.field() != null && reply.body().path("error").path("details").findValuesAsText("field").stream()
                    .noneMatch(c.field()::equals)) {
                failures.add(label + " (does not name " + c.field() + ")");
            }
            String after = snapshot();
            if (!after.equals(before)) {
                failures.add(label + " (changed the database: " + before + " -> " + after + ")");
                before = after;
            }
        }
        assertThat(failures).as(cases.size() + " cases").isEmpty();
        assertThat(cases.size()).isGreaterThan(250);
    }

    @Test
    void badPathIdsAreNotFound() {
        assertThat(AUTH.http().delete("/api/users/address/not-a-uuid", session.accessToken()).status()).isEqualTo(404);
        assertThat(AUTH.http().put("/api/users/address/%27%20OR%201=1", session.accessToken(), address()).status()).isEqualTo(404);
        assertThat(AUTH.http().get("/api/users/address/" + addressId, session.accessToken()).status()).isEqualTo(404);
    }

    /** Every row of every auth table, and every event, as one comparable string. */
    private static String snapshot() throws Exception {
        String sql = """
                SELECT (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM users) || '|' ||
                       (SELECT count(*) || ':' || coalesce(max(used_at)::text, '') || ':' || coalesce(max(revoked_at)::text, '') FROM refresh_tokens) || '|' ||
                       (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM user_profiles) || '|' ||
                       (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM addresses) || '|' ||
                       (SELECT count(*) FROM outbox)
                """;
        try (var st = jdbc.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            long events = AUTH.context().bus().connection().jetStreamManagement().getStreamInfo(AUTH.context().bus().stream())
                    .getStreamState().getMsgCount();
            return rs.getString(1) + "|events:" + events;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
