package dev.storefront.cart;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Responses;
import io.helidon.webserver.WebServer;

/** Catalog's product lookup and inventory's public stock view, as the contract describes them. */
final class FakeNeighbours implements AutoCloseable {
    final Map<UUID, Map<String, Object>> products = new ConcurrentHashMap<>();
    final Map<UUID, Integer> stock = new ConcurrentHashMap<>();
    private final WebServer server;

    FakeNeighbours() {
        server = WebServer.builder().port(0).host("127.0.0.1").routing(r -> r
                .get("/internal/catalog/products", (req, res) -> {
                    List<Object> found = new ArrayList<>();
                    for (String id : req.query().get("ids").split(",")) {
                        dev.storefront.common.web.Params.parseId(id).map(products::get).ifPresent(found::add);
                    }
                    Responses.ok(res, found);
                })
                .get("/api/inventory/{id}", (req, res) -> {
                    UUID id = UUID.fromString(req.path().pathParameters().get("id"));
                    Integer quantity = stock.get(id);
                    if (quantity == null) {
                        Responses.error(res, ApiException.notFound("Stock"));
                        return;
                    }
                    Responses.ok(res, Map.of("productId", id, "quantity", quantity, "isLowStock", quantity < 5, "inStock", quantity > 0));
                })).build().start();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A product catalog knows, with {@code available} units in inventory. */
    UUID product(String name, String price, int available) {
        UUID id = UUID.randomUUID();
        products.put(id, product(id, name, price, Instant.now()));
        stock.put(id, available);
        return id;
    }

    static Map<String, Object> product(UUID id, String name, String price, Instant updatedAt) {
        return Map.of("id", id, "name", name, "description", "A " + name, "price", new BigDecimal(price), "currency", "USD",
                "categoryId", UUID.randomUUID(), "images", List.of(), "attributes", Map.of(),
                "createdAt", updatedAt, "updatedAt", updatedAt);
    }

    @Override
    public void close() {
        server.stop();
    }
}
