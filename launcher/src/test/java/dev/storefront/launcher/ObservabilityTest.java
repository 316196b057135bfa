package dev.storefront.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the platform tells its operators, checked on the one-process platform: every service's OpenAPI
 * document (YAML by default, JSON when asked), and every metric the chart's Grafana dashboard queries
 * is in a real /observe/metrics scrape after a checkout, with the labels its selectors filter on; and with tracing off
 * (the default) that checkout started no span exporter thread.
 */
class ObservabilityTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PlatformFixture shop;

    @BeforeAll
    static void start() {
        shop = new PlatformFixture(false, Map.of());
    }

    @AfterAll
    static void stop() {
        if (shop != null) {
            shop.close();
        }
    }

    private static HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(shop.baseUrl() + path));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyServiceServesItsOpenApiDocumentAsYamlByDefaultAndAsJsonWhenAsked() throws Exception {
        assertThat(shop.services()).hasSize(Services.values().length);
        for (String service : shop.services()) {
            String path = "/openapi/" + service;
            HttpResponse<String> plain = get(path, null);
            assertThat(plain.statusCode()).as(path).isEqualTo(200);
            // Helidon's default: application/vnd.oai.openapi, the OpenAPI media type for YAML
            assertThat(plain.headers().firstValue("Content-Type").orElse("")).as(path).startsWith("application/vnd.oai.openapi")
                    .doesNotContain("json");
            assertThat(plain.body()).as(path).doesNotStartWith("{");
            Map<String, Object> yaml = new Yaml().load(plain.body());
            assertThat(yaml).as(path).containsKeys("openapi", "paths");
            Set<String> yamlPaths = new TreeSet<>(((Map<String, Object>) yaml.get("paths")).keySet());
            // the seed's /ai/* aliases are public paths too
            assertThat(yamlPaths).as(path).isNotEmpty().allMatch(p -> p.startsWith("/api/") || p.startsWith("/ai/") || p.startsWith("/internal/"));

            HttpResponse<String> browser = get(path, "*/*");
            assertThat(browser.headers().firstValue("Content-Type").orElse("")).as(path + " Accept */*").doesNotContain("json");
            assertThat(get(path, "application/yaml").headers().firstValue("Content-Type").orElse("")).contains("yaml");

            for (HttpResponse<String> json : new HttpResponse[] {get(path, "application/json"), get(path + "?format=JSON", null)}) {
                assertThat(json.statusCode()).as(json.uri().toString()).isEqualTo(200);
                assertThat(json.headers().firstValue("Content-Type").orElse("")).as(json.uri().toString()).contains("json");
                assertThat(json.body()).as(json.uri() + " " + json.headers().map()).startsWith("{");
                JsonNode doc;
                try {
                    doc = JSON.readTree(json.body());
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) { // name the document and its line
                    int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
                    String[] lines = json.body().split("\n", -1);
                    throw new AssertionError(json.uri() + " is not JSON at line " + line + ": "
                            + (line > 0 && line <= lines.length ? lines[line - 1].strip() : "?"), e);
                }
                assertThat(doc.path("openapi").asText()).startsWith("3.");
                Set<String> jsonPaths = new TreeSet<>();
                doc.path("paths").fieldNames().forEachRemaining(jsonPaths::add);
                assertThat(jsonPaths).as(json.uri() + ": the same document").isEqualTo(yamlPaths);
            }
            assertThat(get(path + "?format=xml", null).statusCode()).as("an unknown format").isEqualTo(400);
        }
    }

    @Test
    void everyMetricTheDashboardQueriesIsExported() throws Exception {
        String admin = shop.adminToken();
        String product = shop.newProduct(admin, "Observed Lamp " + UUID.randomUUID(), "9.50", 5);
        String shopper = shop.newShopper("Olive Observer");
        assertThat(shop.http.post("/api/cart/add", shopper, Map.of("productId", product, "quantity", 1)).status()).isEqualTo(200);
        assertThat(shop.checkout(shopper, "observe-" + UUID.randomUUID(), "pm_card_visa").status()).isIn(200, 201);
        assertThat(shop.http.get("/api/orders/" + UUID.randomUUID(), shopper).status()).isEqualTo(404);

        // tracing is off unless an endpoint is set: the checkout above made no exporter thread in this process
        assertThat(dev.storefront.common.tracing.Tracing.enabled()).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(name -> name.startsWith("BatchSpanProcessor") || name.contains("OkHttp") || name.startsWith("otlp"));

        HttpResponse<String> scrape = get("/observe/metrics", "text/plain");
        assertThat(scrape.statusCode()).isEqualTo(200);
        Set<String> exported = Dashboard.metricNames(scrape.body());
        Path dumped = Path.of("target", "observe-metrics.txt");
        Files.createDirectories(dumped.getParent());
        Files.writeString(dumped, scrape.body());

        Set<String> queried = Dashboard.queriedMetrics(Dashboard.read());
        assertThat(queried).as("what the dashboard queries").contains("storefront_http_requests_seconds_count",
                "storefront_http_requests_seconds_bucket", "storefront_http_requests_seconds_sum", "storefront_checkout_sagas_total", "storefront_outbox_pending",
                "storefront_outbox_lag_seconds", "storefront_checkout_sagas_in_flight")
                .doesNotContain("by", "le", "service", "state", "rate", "sum");
        assertThat(exported).as("metrics in the scrape (all of it in " + dumped + ")").containsAll(queried);
        // a panel filtering on a label the metric lacks ($service on a metric without service) would show nothing
        Dashboard.matchedLabels(Dashboard.read()).forEach((metric, labels) -> assertThat(Dashboard.labelsOf(scrape.body(), metric))
                .as("labels of " + metric + " the dashboard filters on").containsAll(labels));
        assertThat(Dashboard.read().findValues("id")).as("panel ids are unique (Grafana keys panels by id)")
                .extracting(JsonNode::asInt).doesNotHaveDuplicates();
        assertThat(scrape.body()).as("an error answer is counted with its own status")
                .containsPattern("storefront_http_requests_seconds_count\\{[^}]*status=\"404\"");
    }
}
