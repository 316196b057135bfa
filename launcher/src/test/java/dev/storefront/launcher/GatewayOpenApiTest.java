package dev.storefront.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import dev.storefront.common.ServiceServer;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Split mode's gateway passes /openapi/&lt;service&gt; through to that service, with its Accept header and query. */
class GatewayOpenApiTest {
    @Test
    void theGatewayRoutesEachServicesOpenApiDocumentWithTheAskedFormat() throws Exception {
        HttpRouting.Builder backend = HttpRouting.builder().get("/openapi/cart", (req, res) -> {
            boolean json = req.query().first("format").map("JSON"::equalsIgnoreCase).orElse(false)
                    || req.headers().first(HeaderNames.ACCEPT).orElse("").contains("json");
            res.header(HeaderNames.CONTENT_TYPE, json ? "application/json" : "application/vnd.oai.openapi");
            res.send(json ? "{\"openapi\":\"3.0.3\"}" : "openapi: 3.0.3\n");
        });
        backend.get("/api/cart", (req, res) -> res.send("query " + req.query().rawValue()));
        WebServer cart = ServiceServer.startAlone(WebServer.builder().host("127.0.0.1").port(0).routing(backend));
        WebServer gateway = Gateway.start(0, Map.of(Services.CART, cart.port()));
        try {
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + gateway.port();
            HttpResponse<String> api = client.send(HttpRequest.newBuilder(URI.create(base + "/api/cart?x=1&y=b%20c")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(api.body()).as("an /api query goes through as it came").isEqualTo("query x=1&y=b%20c");
            HttpResponse<String> yaml = client.send(HttpRequest.newBuilder(URI.create(base + "/openapi/cart")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(yaml.statusCode()).isEqualTo(200);
            assertThat(yaml.body()).startsWith("openapi:");
            HttpResponse<String> json = client.send(HttpRequest.newBuilder(URI.create(base + "/openapi/cart"))
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(json.headers().firstValue("Content-Type").orElse("")).contains("json");
            HttpResponse<String> format = client.send(HttpRequest.newBuilder(URI.create(base + "/openapi/cart?format=JSON")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(format.body()).as(format.statusCode() + " " + format.headers().map()).startsWith("{");
            HttpResponse<String> unknown = client.send(HttpRequest.newBuilder(URI.create(base + "/openapi/nothing")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(404);
        } finally {
            gateway.stop();
            cart.stop();
        }
    }
}
