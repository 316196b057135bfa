package dev.storefront.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import dev.storefront.common.ServiceServer;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Split mode's gateway routes the seed's /ai aliases as the Ingress does: /ai/search and /ai/index to search, /ai/prices to catalog. */
class GatewaySeedAliasesTest {
    @Test
    void theGatewayRoutesEachAiAliasToTheServiceThatAnswersIt() throws Exception {
        WebServer search = ServiceServer.startAlone(WebServer.builder().host("127.0.0.1").port(0).routing(HttpRouting.builder()
                .get("/ai/search", (req, res) -> res.send("search " + req.query().first("query").orElse("-") + " "
                        + req.query().first("mode").orElse("-")))
                .post("/ai/index", (req, res) -> res.status(io.helidon.http.Status.ACCEPTED_202).send("index " + req.headers().first(io.helidon.http.HeaderNames.AUTHORIZATION)
                        .orElse("none")))));
        WebServer catalog = ServiceServer.startAlone(WebServer.builder().host("127.0.0.1").port(0).routing(HttpRouting.builder()
                .get("/ai/prices/{id}", (req, res) -> res.send("prices " + req.path().pathParameters().get("id")))));
        WebServer gateway = Gateway.start(0, Map.of(Services.SEARCH, search.port(), Services.CATALOG, catalog.port()));
        try {
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + gateway.port();
            assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/ai/search?query=coffee%20mug&mode=keyword")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("search coffee mug keyword");
            HttpResponse<String> index = client.send(HttpRequest.newBuilder(URI.create(base + "/ai/index"))
                    .header("Authorization", "Bearer t").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(index.statusCode()).isEqualTo(202);
            assertThat(index.body()).isEqualTo("index Bearer t");
            assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/ai/prices/5d3c")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("prices 5d3c");
            for (String unrouted : new String[] {"/ai/other", "/ai", "/internal/catalog/products/all"}) {
                HttpResponse<String> none = client.send(HttpRequest.newBuilder(URI.create(base + unrouted)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(none.statusCode()).as(unrouted).isEqualTo(404);
            }
        } finally {
            gateway.stop();
            catalog.stop();
            search.stop();
        }
    }
}
