package dev.storefront.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@ServerTest
class WebModuleTest {

    private final Http1Client client;

    WebModuleTest(Http1Client client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        WebModule.register(routing);
        // what the launcher adds next to the UI: an /api route that must stay reachable
        routing.get("/api/ping", (req, res) -> res.send("pong"));
    }

    private static String indexHtml() throws IOException {
        try (InputStream in = WebModuleTest.class.getClassLoader().getResourceAsStream("web/index.html")) {
            assertThat(in).as("web/index.html on the classpath (run the npm build)").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertSecurityHeaders(ClientResponseTyped<String> res) {
        assertThat(res.headers().first(WebModule.CSP))
                .hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(res.headers().first(WebModule.NOSNIFF)).contains("nosniff");
        assertThat(res.headers().first(WebModule.FRAME_OPTIONS)).contains("DENY");
        assertThat(res.headers().first(WebModule.REFERRER_POLICY)).contains("strict-origin-when-cross-origin");
    }

    @Test
    void rootServesIndexHtmlWithHeaders() throws IOException {
        ClientResponseTyped<String> res = client.get("/").request(String.class);
        assertThat(res.status()).isEqualTo(Status.OK_200);
        assertThat(res.entity()).isEqualTo(indexHtml()).contains("<div id=\"root\">");
        assertThat(res.headers().contentType()).hasValueSatisfying(ct -> assertThat(ct.text()).startsWith("text/html"));
        assertThat(res.headers().first(HeaderNames.CACHE_CONTROL)).contains("no-cache");
        assertSecurityHeaders(res);
    }

    @Test
    void indexHtmlByName() {
        ClientResponseTyped<String> res = client.get("/index.html").request(String.class);
        assertThat(res.status()).isEqualTo(Status.OK_200);
        assertThat(res.headers().first(HeaderNames.CACHE_CONTROL)).contains("no-cache");
    }

    @Test
    void hashedAssetIsImmutable() throws IOException {
        Matcher m = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(indexHtml());
        assertThat(m.find()).as("index.html references a hashed script").isTrue();
        ClientResponseTyped<String> res = client.get(m.group(1)).request(String.class);
        assertThat(res.status()).isEqualTo(Status.OK_200);
        assertThat(res.headers().contentType()).hasValueSatisfying(ct -> assertThat(ct.text()).contains("javascript"));
        assertThat(res.headers().first(HeaderNames.CACHE_CONTROL)).contains("public, max-age=31536000, immutable");
        assertThat(res.entity()).isNotEmpty();
        assertSecurityHeaders(res);
    }

    @Test
    void clientRoutesFallBackToIndexHtml() throws IOException {
        for (String path : new String[] {"/products/123", "/orders/abc/confirmation", "/admin/orders?status=CONFIRMED", "/cart/"}) {
            ClientResponseTyped<String> res = client.get(path).request(String.class);
            assertThat(res.status()).as(path).isEqualTo(Status.OK_200);
            assertThat(res.entity()).as(path).isEqualTo(indexHtml());
            assertThat(res.headers().first(HeaderNames.CACHE_CONTROL)).as(path).contains("no-cache");
            assertSecurityHeaders(res);
        }
    }

    @Test
    void apiPathsAreNotSwallowed() {
        assertThat(client.get("/api/unknown").request(String.class).status()).isEqualTo(Status.NOT_FOUND_404);
        assertThat(client.get("/api/products/123").request(String.class).status()).isEqualTo(Status.NOT_FOUND_404);
        assertThat(client.get("/internal/x").request(String.class).status()).isEqualTo(Status.NOT_FOUND_404);
        ClientResponseTyped<String> ping = client.get("/api/ping").request(String.class);
        assertThat(ping.status()).isEqualTo(Status.OK_200);
        assertThat(ping.entity()).isEqualTo("pong");
        assertThat(ping.headers().first(WebModule.CSP)).isEmpty();
    }

    @Test
    void missingFileIs404NotIndex() {
        assertThat(client.get("/assets/missing-123.js").request(String.class).status()).isEqualTo(Status.NOT_FOUND_404);
        assertThat(client.get("/nope.png").request(String.class).status()).isEqualTo(Status.NOT_FOUND_404);
    }

    @Test
    void noPathTraversal() {
        assertThat(client.get("/../dev/storefront/web/Main.class").request(String.class).status())
                .isIn(Status.NOT_FOUND_404, Status.BAD_REQUEST_400);
    }

    @Test
    void spaPathMapping() {
        assertThat(WebModule.spaPath("")).isEmpty();
        assertThat(WebModule.spaPath("products/123")).isEqualTo("index.html");
        assertThat(WebModule.spaPath("assets/index-abc.js")).isEqualTo("assets/index-abc.js");
        assertThat(WebModule.spaPath("api/unknown")).isEqualTo("api/unknown");
        assertThat(WebModule.spaPath("api")).isEqualTo("api");
        assertThat(WebModule.spaPath("observe/health")).isEqualTo("observe/health");
        assertThat(WebModule.spaPath("apiary")).isEqualTo("index.html");
    }
}
