package dev.storefront.common.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.storefront.common.JsonLogFormatter;
import dev.storefront.common.ServiceServer;
import dev.storefront.common.security.Principal;
import dev.storefront.common.security.Role;
import dev.storefront.common.testing.TestHttp;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kit's web filters on a real server: CORS through Helidon's engine with the API's answers, and
 * one access line per request (route template, final status, ids, caller). Isolated: Helidon 4.1's
 * metrics set-up (discovered on the classpath) is not safe while another test class starts a server
 * outside the kit's lock ({@code @ServerTest}, GracefulShutdownTest).
 */
@Isolated
class WebKitTest {
    private static final String ALLOWED = "https://shop.example.test";
    private static final UUID USER = UUID.randomUUID();
    private static final List<String> LINES = java.util.Collections.synchronizedList(new ArrayList<>());
    private static final Handler CAPTURE = new Handler() {
        private final JsonLogFormatter formatter = new JsonLogFormatter();

        @Override
        public void publish(LogRecord record) {
            LINES.add(formatter.format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    /** Held: JUL keeps loggers weakly, and a collected one would come back without the handler. */
    private static final Logger ACCESS = Logger.getLogger(AccessLog.LOGGER);
    private static WebServer server;
    private static TestHttp http;

    @BeforeAll
    static void start() {
        HttpRouting.Builder routing = HttpRouting.builder();
        ErrorHandling.install(routing);
        Cors.install(routing, Set.of(ALLOWED));
        routing.addFilter(new AccessLog(PathTemplates.of(List.of("/api/things/{id}", "/api/things/special", "/api/things")))::filter);
        routing.get("/api/things/special", (req, res) -> Responses.ok(res, Map.of("special", true)));
        routing.get("/api/things/{id}", (req, res) -> {
            AccessLog.caller(req, new Principal(USER, USER.toString(), "a@example.test", "A", Role.CUSTOMER));
            if (req.path().pathParameters().get("id").equals("missing")) {
                throw ApiException.notFound("Thing");
            }
            Responses.ok(res, Map.of("id", req.path().pathParameters().get("id")));
        });
        routing.post("/api/things", (req, res) -> Responses.created(res, Map.of()));
        server = ServiceServer.startAlone(WebServer.builder().port(0).host("127.0.0.1").routing(routing));
        http = new TestHttp(server.port());
        // after the server's start: Helidon reads logging.properties then, which resets every logger
        ACCESS.setLevel(java.util.logging.Level.INFO);
        ACCESS.addHandler(CAPTURE);
    }

    @AfterAll
    static void stop() {
        ACCESS.removeHandler(CAPTURE);
        if (server != null) {
            server.stop();
        }
    }

    private static List<String[]> headers(String... pairs) {
        List<String[]> list = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            list.add(new String[] {pairs[i], pairs[i + 1]});
        }
        return list;
    }

    @Test
    void corsFollowsHelidonsRulesWithTheApisAnswers() {
        TestHttp.Reply preflight = http.send("OPTIONS", "/api/things", null, null, headers("Origin", ALLOWED,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization, content-type, idempotency-key"));
        assertThat(preflight.status()).as(preflight.toString()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(preflight.header("Access-Control-Max-Age")).isEqualTo("600");
        assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();

        TestHttp.Reply evil = http.send("OPTIONS", "/api/things", null, null, headers("Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST"));
        assertThat(evil.status()).isEqualTo(403);
        assertThat(evil.isErrorEnvelope()).as(evil.toString()).isTrue();
        assertThat(evil.header("Access-Control-Allow-Origin")).isNull();

        TestHttp.Reply badMethod = http.send("OPTIONS", "/api/things", null, null, headers("Origin", ALLOWED,
                "Access-Control-Request-Method", "PATCH"));
        assertThat(badMethod.status()).as("a method the API does not allow").isEqualTo(403);

        TestHttp.Reply plain = http.send("GET", "/api/things/7", null, null, headers("Origin", ALLOWED));
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
        assertThat(plain.header("Access-Control-Expose-Headers")).contains("X-Request-Id");
        assertThat(plain.header("Vary")).contains("Origin");

        TestHttp.Reply error = http.send("GET", "/api/things/missing", null, null, headers("Origin", ALLOWED));
        assertThat(error.status()).isEqualTo(404);
        assertThat(error.header("Access-Control-Allow-Origin")).as("an error answer keeps its CORS headers").isEqualTo(ALLOWED);

        TestHttp.Reply other = http.send("GET", "/api/things/7", null, null, headers("Origin", "https://evil.example"));
        assertThat(other.status()).as("served, but without CORS headers the browser keeps it from that page").isEqualTo(200);
        assertThat(other.header("Access-Control-Allow-Origin")).isNull();

        TestHttp.Reply sameOrigin = http.send("POST", "/api/things", null, new byte[0], headers("Origin", "http://127.0.0.1:" + server.port()));
        assertThat(sameOrigin.status()).isEqualTo(201);
        assertThat(sameOrigin.header("Access-Control-Allow-Origin")).isNull();

        TestHttp.Reply opaque = http.send("OPTIONS", "/api/things", null, null, headers("Origin", "null", "Access-Control-Request-Method", "GET"));
        assertThat(opaque.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void everyRequestWritesOneJsonAccessLineWithItsRouteTemplateStatusIdsAndCaller() throws Exception {
        TestHttp.Reply ok = http.send("GET", "/api/things/42", null, null, headers("X-Request-Id", "access-ok-1",
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        TestHttp.Reply missing = http.send("GET", "/api/things/missing", null, null, headers("X-Request-Id", "access-missing-1"));
        TestHttp.Reply special = http.send("GET", "/api/things/special", null, null, headers("X-Request-Id", "access-special-1"));
        TestHttp.Reply none = http.send("GET", "/api/nothing/here", null, null, headers("X-Request-Id", "access-none-1"));
        assertThat(List.of(ok.status(), missing.status(), special.status(), none.status())).containsExactly(200, 404, 200, 404);

        ObjectMapper json = new ObjectMapper();
        JsonNode okLine = json.readTree(awaitLine("access-ok-1"));
        assertThat(okLine.path("logger").asText()).isEqualTo(AccessLog.LOGGER);
        assertThat(okLine.path("method").asText()).isEqualTo("GET");
        assertThat(okLine.path("route").asText()).isEqualTo("/api/things/{id}");
        assertThat(okLine.path("status").asInt()).isEqualTo(200);
        assertThat(okLine.path("durationMs").isNumber()).isTrue();
        assertThat(okLine.path("durationMs").asDouble()).isGreaterThanOrEqualTo(0.0);
        assertThat(okLine.path("traceId").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(okLine.path("userId").asText()).isEqualTo(USER.toString());

        JsonNode missingLine = json.readTree(awaitLine("access-missing-1"));
        assertThat(missingLine.path("status").asInt()).as("the error handler's status, not the one the filter saw").isEqualTo(404);
        assertThat(missingLine.path("route").asText()).isEqualTo("/api/things/{id}");

        JsonNode specialLine = json.readTree(awaitLine("access-special-1"));
        assertThat(specialLine.path("route").asText()).as("a literal segment beats a parameter").isEqualTo("/api/things/special");
        assertThat(specialLine.has("userId")).as("no token checked, no user").isFalse();

        JsonNode noneLine = json.readTree(awaitLine("access-none-1"));
        assertThat(noneLine.path("route").asText()).as("never the raw path").isEqualTo(PathTemplates.UNMATCHED);
        assertThat(LINES.stream().filter(l -> l.contains("\"access-ok-1\"")).count()).as("one line per request").isEqualTo(1);
    }

    private static String awaitLine(String requestId) {
        String needle = "\"requestId\":\"" + requestId + "\"";
        await().atMost(java.time.Duration.ofSeconds(5)).alias("an access line with " + needle + " among " + LINES)
                .until(() -> LINES.stream().anyMatch(l -> l.contains(needle)));
        synchronized (LINES) {
            return LINES.stream().filter(l -> l.contains(needle)).findFirst().orElseThrow();
        }
    }
}
