package dev.storefront.cart;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.testing.OpenApiContract;
import dev.storefront.common.testing.FakeNeighbour;
import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.common.testing.TestHttp;
import dev.storefront.common.testing.TestHttp.Reply;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Json;
import dev.storefront.common.web.Params;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The cart against real PostgreSQL and NATS, with catalog and inventory faked. */
class CartTest {
    /** What catalog knows and inventory has, served as their contracts describe. */
    private static final Map<UUID, Map<String, Object>> PRODUCTS = new ConcurrentHashMap<>();
    private static final Map<UUID, Integer> STOCK = new ConcurrentHashMap<>();
    private static final FakeNeighbour NEIGHBOURS = new FakeNeighbour()
            .on("GET", "/internal/catalog/products", call -> {
                List<Object> found = new ArrayList<>();
                for (String id : call.query("ids").split(",")) {
                    Params.parseId(id).map(PRODUCTS::get).ifPresent(found::add);
                }
                return found;
            })
            .on("GET", "/api/inventory/{id}", call -> {
                UUID id = UUID.fromString(call.param("id"));
                Integer quantity = STOCK.get(id);
                if (quantity == null) {
                    throw ApiException.notFound("Stock");
                }
                return Map.of("productId", id, "quantity", quantity, "isLowStock", quantity < 5, "inStock", quantity > 0);
            });

    @RegisterExtension
    static final ServiceFixture<CartModule> CART = ServiceFixture.of("cart", CartModule::create)
            .neighbour(NEIGHBOURS, "catalog", "inventory");
    private static final TestHttp http = CART.http();


    private static String shopper(UUID id) {
        return CART.shopper(id);
    }

    private static long rows(String sql) {
        return CART.count(sql);
    }

    /** A product catalog knows, with {@code available} units in inventory. */
    private static UUID product(String name, String price, int available) {
        UUID id = UUID.randomUUID();
        PRODUCTS.put(id, product(id, name, price, Instant.now()));
        STOCK.put(id, available);
        return id;
    }

    private static Map<String, Object> product(UUID id, String name, String price, Instant updatedAt) {
        return Map.of("id", id, "name", name, "description", "A " + name, "price", new BigDecimal(price), "currency", "USD",
                "categoryId", UUID.randomUUID(), "images", List.of(), "attributes", Map.of(),
                "createdAt", updatedAt, "updatedAt", updatedAt);
    }

    private static JsonNode line(Reply cart, UUID productId) {
        for (JsonNode item : cart.data().path("items")) {
            if (item.path("productId").asText().equals(productId.toString())) {
                return item;
            }
        }
        return null;
    }

    @Test
    void fiftyConcurrentAddsOfOneMakeFifty() throws Exception {
        UUID user = UUID.randomUUID();
        UUID product = product("Mug", "7.50", 1000);
        String token = shopper(user);
        List<Callable<Integer>> adds = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            adds.add(() -> http.post("/api/cart/add", token, Map.of("productId", product, "quantity", 1)).status());
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
            for (Future<Integer> status : pool.invokeAll(adds)) {
                assertThat(status.get()).isEqualTo(200);
            }
        }
        Reply cart = http.get("/api/cart", token);
        assertThat(line(cart, product).path("quantity").asInt()).isEqualTo(50);
        assertThat(cart.data().path("total").decimalValue()).isEqualByComparingTo("375.00");
        assertThat(cart.data().path("itemCount").asInt()).isEqualTo(50);
    }

    @Test
    void priceAndNameAlwaysComeFromCatalog() throws Exception {
        UUID user = UUID.randomUUID();
        UUID product = product("Lamp", "19.99", 10);
        String token = shopper(user);

        Reply withPrice = http.post("/api/cart/add", token, Map.of("productId", product, "quantity", 1, "price", 0.01));
        assertThat(withPrice.status()).isEqualTo(400);
        assertThat(withPrice.firstErrorField()).isEqualTo("price");
        assertThat(rows("SELECT count(*) FROM cart_items WHERE product_id = '" + product + "'")).isZero();

        Reply cart = http.post("/api/cart/add", token, Map.of("productId", product, "quantity", 3));
        assertThat(cart.status()).as(cart.toString()).isEqualTo(200);
        JsonNode line = line(cart, product);
        assertThat(line.path("name").asText()).isEqualTo("Lamp");
        assertThat(line.path("unitPrice").decimalValue()).isEqualByComparingTo("19.99");
        assertThat(line.path("lineTotal").decimalValue()).isEqualByComparingTo("59.97");
        assertThat(line.path("currency").asText()).isEqualTo("USD");
        assertThat(cart.data().path("total").decimalValue()).isEqualByComparingTo("59.97");
        assertThat(line.path("priceChanged").asBoolean()).isFalse();
    }

    @Test
    void badRequestsAreClear4xxAndWriteNothing() throws Exception {
        UUID user = UUID.randomUUID();
        String token = shopper(user);
        UUID product = product("Chair", "45.00", 5);
        String where = "SELECT count(*) FROM cart_items i JOIN carts c ON c.id = i.cart_id WHERE c.user_id = '" + user + "'";

        Reply unknown = http.post("/api/cart/add", token, Map.of("productId", UUID.randomUUID(), "quantity", 1));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("NOT_FOUND");

        for (Object quantity : List.of(0, -1, 100, 1_000_000_000_000L, new BigDecimal("1.5"), "abc")) {
            Reply bad = http.post("/api/cart/add", token, Map.of("productId", product, "quantity", quantity));
            assertThat(bad.status()).as("quantity %s", quantity).isEqualTo(400);
            assertThat(bad.firstErrorField()).as("quantity %s", quantity).isEqualTo("quantity");
        }
        Reply missing = http.post("/api/cart/add", token, Map.of("productId", product));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.firstErrorField()).isEqualTo("quantity");
        Reply badId = http.post("/api/cart/add", token, Map.of("productId", "not-a-uuid", "quantity", 1));
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.firstErrorField()).isEqualTo("productId");
        assertThat(http.post("/api/cart/add", token, "{not json").status()).isEqualTo(400);
        assertThat(http.post("/api/cart/add", null, Map.of("productId", product, "quantity", 1)).status()).isEqualTo(401);

        Reply tooMany = http.post("/api/cart/add", token, Map.of("productId", product, "quantity", 6));
        assertThat(tooMany.status()).isEqualTo(409);
        assertThat(tooMany.errorCode()).isEqualTo("OUT_OF_STOCK");
        assertThat(rows(where)).isZero();

        // within stock, then beyond it by adding more: the line keeps what it had
        assertThat(http.post("/api/cart/add", token, Map.of("productId", product, "quantity", 4)).status()).isEqualTo(200);
        assertThat(http.post("/api/cart/add", token, Map.of("productId", product, "quantity", 2)).status()).isEqualTo(409);
        assertThat(http.put("/api/cart/items/" + product, token, Map.of("quantity", 6)).status()).isEqualTo(409);
        assertThat(http.put("/api/cart/items/" + product, token, Map.of("quantity", 0)).status()).isEqualTo(400);
        // a line the cart does not have is not found, whatever the stock says
        UUID notInCart = product("Ruler", "1.00", 1);
        assertThat(http.put("/api/cart/items/" + notInCart, token, Map.of("quantity", 5)).status()).isEqualTo(404);
        assertThat(http.put("/api/cart/items/" + notInCart, token, Map.of("quantity", 1)).status()).isEqualTo(404);
        assertThat(line(http.get("/api/cart", token), product).path("quantity").asInt()).isEqualTo(4);

        // a line never passes 99 units, however much is in stock
        UUID plenty = product("Pencil", "0.10", 10_000);
        assertThat(http.post("/api/cart/add", token, Map.of("productId", plenty, "quantity", 60)).status()).isEqualTo(200);
        Reply over99 = http.post("/api/cart/add", token, Map.of("productId", plenty, "quantity", 40));
        assertThat(over99.status()).isEqualTo(409);
        assertThat(over99.firstErrorField()).isEqualTo("quantity");
        Reply set = http.put("/api/cart/items/" + plenty, token, Map.of("quantity", 99));
        assertThat(set.status()).isEqualTo(200);
        assertThat(line(set, plenty).path("quantity").asInt()).isEqualTo(99);
        assertThat(set.data().path("total").decimalValue()).isEqualByComparingTo("189.90");
    }

    @Test
    void nobodyTouchesAnotherUsersCart() throws Exception {
        UUID alice = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        UUID product = product("Book", "12.00", 50);
        assertThat(http.post("/api/cart/add", shopper(alice), Map.of("productId", product, "quantity", 2)).status()).isEqualTo(200);

        assertThat(http.get("/api/cart", shopper(bob)).data().path("items")).isEmpty();
        assertThat(http.put("/api/cart/items/" + product, shopper(bob), Map.of("quantity", 1)).status()).isEqualTo(404);
        assertThat(http.delete("/api/cart/items/" + product, shopper(bob)).status()).isEqualTo(404);
        assertThat(http.delete("/api/cart", shopper(bob)).status()).isEqualTo(200);

        // internal routes: service tokens only
        assertThat(http.get("/internal/cart/" + alice, shopper(alice)).status()).isEqualTo(403);
        assertThat(http.delete("/internal/cart/" + alice, shopper(alice)).status()).isEqualTo(403);
        assertThat(http.get("/internal/cart/" + alice, null).status()).isEqualTo(401);
        String service = CART.service("checkout");
        assertThat(http.get("/api/cart", service).status()).isEqualTo(401);
        Reply internal = http.get("/internal/cart/" + alice, service);
        assertThat(internal.status()).isEqualTo(200);
        assertThat(line(internal, product).path("quantity").asInt()).isEqualTo(2);

        assertThat(http.delete("/internal/cart/" + alice, service).status()).isEqualTo(204);
        assertThat(http.delete("/internal/cart/" + alice, service).status()).isEqualTo(204);
        assertThat(http.delete("/internal/cart/" + UUID.randomUUID(), service).status()).isEqualTo(204);
        assertThat(http.get("/api/cart", shopper(alice)).data().path("items")).isEmpty();
    }

    @Test
    void lineUpdatesAndRemovals() {
        UUID user = UUID.randomUUID();
        String token = shopper(user);
        UUID a = product("Plate", "3.25", 20);
        UUID b = product("Bowl", "4.10", 20);
        http.post("/api/cart/add", token, Map.of("productId", a, "quantity", 1));
        http.post("/api/cart/add", token, Map.of("productId", b, "quantity", 2));
        Reply set = http.put("/api/cart/items/" + a, token, Map.of("quantity", 4));
        assertThat(set.data().path("total").decimalValue()).isEqualByComparingTo("21.20");
        assertThat(set.data().path("itemCount").asInt()).isEqualTo(6);
        Reply removed = http.delete("/api/cart/items/" + a, token);
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.data().path("items")).hasSize(1);
        assertThat(http.delete("/api/cart/items/" + a, token).status()).isEqualTo(404);
        assertThat(http.put("/api/cart/items/not-an-id", token, Map.of("quantity", 1)).status()).isEqualTo(404);
        Reply cleared = http.delete("/api/cart", token);
        assertThat(cleared.data().path("items")).isEmpty();
        assertThat(cleared.data().path("total").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void productEventsRepriceAndFlagLinesUntilTheShopperLooks() throws Exception {
        UUID user = UUID.randomUUID();
        String token = shopper(user);
        UUID product = product("Kettle", "30.00", 10);
        UUID doomed = product("Toaster", "25.00", 10);
        http.post("/api/cart/add", token, Map.of("productId", product, "quantity", 2));
        http.post("/api/cart/add", token, Map.of("productId", doomed, "quantity", 1));

        publish("storefront.product.updated", product(product, "Kettle II", "27.50", Instant.now().plusSeconds(1)));
        // an older update arriving late changes nothing
        publish("storefront.product.updated", product(product, "Kettle 0", "99.00", Instant.now().minusSeconds(3600)));
        publish("storefront.product.deleted", Map.of("id", doomed));

        await().atMost(Duration.ofSeconds(15)).until(() ->
                rows("SELECT count(*) FROM cart_items WHERE price_changed AND product_id = '" + product + "'") == 1
                        && rows("SELECT count(*) FROM cart_items WHERE product_id = '" + doomed + "'") == 0);
        Thread.sleep(300); // let the late event be applied (and ignored)
        Reply seen = http.get("/api/cart", token);
        JsonNode line = line(seen, product);
        assertThat(line.path("priceChanged").asBoolean()).isTrue();
        assertThat(line.path("previousUnitPrice").decimalValue()).isEqualByComparingTo("30.00");
        assertThat(line.path("unitPrice").decimalValue()).isEqualByComparingTo("27.50");
        assertThat(line.path("name").asText()).isEqualTo("Kettle II");
        assertThat(seen.data().path("total").decimalValue()).isEqualByComparingTo("55.00");
        assertThat(seen.data().path("items")).hasSize(1);

        JsonNode again = line(http.get("/api/cart", token), product);
        assertThat(again.path("priceChanged").asBoolean()).isFalse();
        assertThat(again.path("previousUnitPrice").isNull()).isTrue();
    }

    private static void publish(String type, Object data) throws Exception {
        CloudEvent event = CloudEvent.of("catalog", type, data);
        CART.context().bus().jetStream().publish(NatsMessage.builder().subject(CART.context().bus().subjectFor(type))
                .data(Json.write(event).getBytes(StandardCharsets.UTF_8)).build());
    }

    @Test
    void openApiDocumentMatchesTheRoutes() {
        OpenApiContract.assertMatches(CART.module());
    }
}
