package dev.storefront.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.web.Json;

/**
 * Puts demo stock on the demo catalog through the public API, as an admin would: catalog owns
 * products and inventory owns stock, so the launcher seeds stock by calling inventory, not its tables.
 */
final class DemoStock {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private DemoStock() {
    }

    static int seed(String baseUrl, String adminEmail, String adminPassword) {
        JsonNode login = call("POST", baseUrl + "/api/auth/login", null, Map.of("email", adminEmail, "password", adminPassword));
        String token = login.path("data").path("accessToken").asText();
        int stocked = 0;
        for (int page = 1; page <= 100; page++) {
            JsonNode list = call("GET", baseUrl + "/api/products?limit=100&page=" + page, null, null);
            JsonNode items = list.path("data");
            if (!items.isArray() || items.isEmpty()) {
                break;
            }
            for (JsonNode product : items) {
                String id = product.path("id").asText();
                JsonNode stock = call("GET", baseUrl + "/api/inventory/" + id, null, null);
                if (stock.path("success").asBoolean() && stock.path("data").path("quantity").asInt() > 0) {
                    continue;
                }
                // a stable quantity per product, a few of them low so the low-stock list is not empty
                int quantity = Math.abs(id.hashCode() % 10) == 0 ? 3 : 20 + Math.abs(id.hashCode() % 180);
                call("POST", baseUrl + "/api/inventory/add", token, Map.of("productId", id, "quantity", quantity));
                stocked++;
            }
            if (items.size() < 100) {
                break;
            }
        }
        return stocked;
    }

    private static JsonNode call(String method, String url, String token, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        try {
            HttpResponse<String> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
