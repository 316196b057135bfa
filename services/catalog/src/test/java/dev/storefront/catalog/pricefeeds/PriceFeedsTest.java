package dev.storefront.catalog.pricefeeds;

import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.catalog.CatalogModule;
import dev.storefront.common.security.Role;
import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.common.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Price feeds against real PostgreSQL and a feed server on 127.0.0.1. The module's own job is off
 * (poll-seconds 0); each test fetches with {@link PriceFeedFetcher#fetchNextDue()}, as the job would,
 * and deletes its feeds afterwards, so no test fetches another's.
 */
class PriceFeedsTest {
    @RegisterExtension
    static final ServiceFixture<CatalogModule> CATALOG = ServiceFixture.of("catalog", CatalogModule::create)
            .set("storefront.catalog.price-feeds.poll-seconds", "0")
            .set("storefront.catalog.price-feeds.allow-private-addresses", "true")
            .set("storefront.catalog.price-feeds.read-timeout-ms", "700")
            .set("storefront.catalog.price-feeds.total-timeout-ms", "3000")
            .set("storefront.catalog.price-feeds.max-bytes", "65536");
    private static final UUID VENDOR = UUID.randomUUID();
    private static final TestHttp http = CATALOG.http();
    private static FeedServer feeds;
    private static PriceFeedFetcher fetcher;
    private final List<String> created = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        feeds = new FeedServer();
        fetcher = CATALOG.module().priceFeeds().fetcher();
    }

    @AfterAll
    static void stop() {
        feeds.close();
    }

    @AfterEach
    void deleteFeeds() {
        created.forEach(id -> http.delete("/api/products/price-feeds/" + id, CATALOG.admin()));
    }

    // ---- helpers

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** A valid GTIN-13 made from 12 digits and its check digit. */
    private static String gtin13(long body) {
        String digits = String.format("%012d", body % 1_000_000_000_000L);
        return digits + Gtin.checkDigit(digits);
    }

    private static JsonNode product(String price, String sku, String gtin) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "Kettle " + suffix(), "price", new BigDecimal(price), "currency", "USD",
                "vendorId", VENDOR.toString()));
        if (sku != null) {
            body.put("attributes", Map.of("sku", sku));
        }
        if (gtin != null) {
            body.put("gtin", gtin);
        }
        TestHttp.Reply reply = http.post("/api/products", CATALOG.admin(), body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.data();
    }

    private Map<String, Object> feedBody(String path, String format, Map<String, Object> mapping, String currency) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "Rival " + suffix(), "url", feeds.url(path), "format", format,
                "mapping", mapping, "intervalMinutes", 60));
        if (currency != null) {
            body.put("currency", currency);
        }
        return body;
    }

    private JsonNode register(Map<String, Object> body) {
        TestHttp.Reply reply = http.post("/api/products/price-feeds", CATALOG.admin(), body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        created.add(reply.data().path("id").asText());
        return reply.data();
    }

    /** Fetches every due feed, as the job's rounds would; answers the feed's status afterwards. */
    private static JsonNode fetch(JsonNode feed) {
        while (fetcher.fetchNextDue()) {
            // the next due feed
        }
        return http.get("/api/products/price-feeds/" + feed.path("id").asText(), CATALOG.admin()).data();
    }

    private static JsonNode prices(JsonNode product) {
        TestHttp.Reply reply = http.get("/api/products/" + product.path("id").asText() + "/prices", CATALOG.admin());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.data();
    }

    private static void refetchSoon(JsonNode feed) {
        TestHttp.Reply reply = http.post("/api/products/price-feeds/" + feed.path("id").asText() + "/fetch", CATALOG.admin(), null);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
    }

    // ---- the tests

    @Test
    void aJsonFeedMatchedBySkuStoresEachProductsPriceBesideOurs() {
        String s = suffix();
        JsonNode kettle = product("20.00", "KET-" + s, null);
        JsonNode mug = product("8.00", "MUG-" + s, null);
        feeds.serve("/json-" + s, "application/json; charset=utf-8", """
                {"generated": "today", "products": [
                  {"id": "KET-%1$s", "offer": {"amount": "18.50"}, "cur": "usd"},
                  {"id": "MUG-%1$s", "offer": {"amount": 9}, "cur": "USD"},
                  {"id": "NOBODY-%1$s", "offer": {"amount": 1.00}, "cur": "USD"}
                ]}""".formatted(s));
        JsonNode feed = register(feedBody("/json-" + s, "JSON",
                Map.of("matchBy", "SKU", "key", "id", "price", "/offer/amount", "currency", "cur", "items", "/products"), null));

        JsonNode status = fetch(feed).path("status");
        assertThat(status.path("outcome").asText()).isEqualTo("OK");
        assertThat(status.path("rowsMatched").asInt()).isEqualTo(2);
        assertThat(status.path("rowsUnmatched").asInt()).isEqualTo(1);
        assertThat(status.path("rowsRejected").asInt()).isZero();

        JsonNode comparison = prices(kettle);
        assertThat(comparison.path("ours").path("price").decimalValue()).isEqualByComparingTo("20.00");
        JsonNode source = comparison.path("sources").get(0);
        assertThat(source.path("source").asText()).isEqualTo(feed.path("name").asText());
        assertThat(source.path("price").decimalValue()).isEqualByComparingTo("18.50");
        assertThat(source.path("currency").asText()).isEqualTo("USD");
        assertThat(source.path("difference").decimalValue()).isEqualByComparingTo("-1.50");
        assertThat(source.path("differencePercent").decimalValue()).isEqualByComparingTo("-7.5");
        assertThat(source.path("ageSeconds").asLong()).isBetween(0L, 60L);
        assertThat(prices(mug).path("sources").get(0).path("price").decimalValue()).isEqualByComparingTo("9.00");
    }

    @Test
    void aCsvFeedMatchedByGtinFindsAUpcAsItsEan() {
        String s = suffix();
        long base = Math.abs(UUID.randomUUID().getMostSignificantBits()) % 100_000_000_000L;
        String ean = gtin13(base); // starts with 0: the same item's UPC-12 is the last 12 digits
        String upc = ean.substring(1);
        JsonNode toaster = product("30.00", null, upc);
        feeds.serve("/csv-" + s, "text/csv", "\uFEFFean,name,price\n" + ean + ",\"Toaster, chrome\",27.99\n\n" + gtin13(base + 1) + ",Other,5\n");
        JsonNode feed = register(feedBody("/csv-" + s, "CSV", Map.of("matchBy", "GTIN", "key", "ean", "price", "price"), "EUR"));

        JsonNode status = fetch(feed).path("status");
        assertThat(status.path("outcome").asText()).as(status.toString()).isEqualTo("OK");
        assertThat(status.path("rowsMatched").asInt()).isEqualTo(1);
        assertThat(status.path("rowsUnmatched").asInt()).isEqualTo(1);
        JsonNode source = prices(toaster).path("sources").get(0);
        assertThat(source.path("price").decimalValue()).isEqualByComparingTo("27.99");
        assertThat(source.path("currency").asText()).isEqualTo("EUR");
        assertThat(source.path("difference").isNull()).as("no difference across currencies").isTrue();
    }

    @Test
    void malformedRowsAreRejectedAndCountedWhileGoodRowsAreKept() {
        String s = suffix();
        JsonNode good = product("10.00", "GOOD-" + s, null);
        JsonNode cheap = product("10.00", "CHEAP-" + s, null);
        feeds.serve("/bad-csv-" + s, "text/csv", String.join("\n",
                "sku,price,currency",
                "GOOD-" + s + ",9.99,USD",
                "CHEAP-" + s + ",abc,USD",        // no amount
                "CHEAP-" + s + ",-1.00,USD",      // negative
                "CHEAP-" + s + ",1.999,USD",      // a third decimal
                "CHEAP-" + s + ",5.00,DOLLARS",   // no currency code
                ",5.00,USD",                      // no key
                "CHEAP-" + s + ",5.00",           // a column short
                "GOOD-" + s + ",1.00,USD",        // the same key again
                "CHEAP-" + s + ",7.00,usd"));
        JsonNode feed = register(feedBody("/bad-csv-" + s, "CSV", Map.of("matchBy", "SKU", "key", "sku", "price", "price", "currency", "currency"), null));
        JsonNode status = fetch(feed).path("status");
        assertThat(status.path("outcome").asText()).isEqualTo("OK");
        assertThat(status.path("rowsMatched").asInt()).isEqualTo(2);
        assertThat(status.path("rowsRejected").asInt()).isEqualTo(7);
        assertThat(prices(good).path("sources").get(0).path("price").decimalValue()).isEqualByComparingTo("9.99");
        assertThat(prices(cheap).path("sources").get(0).path("price").decimalValue()).isEqualByComparingTo("7.00");

        // JSON: rows that are not objects or lack fields are rejected the same way
        feeds.serve("/bad-json-" + s, "application/json", "[1, \"x\", {\"sku\": \"GOOD-" + s + "\"}, {\"price\": 3},"
                + " {\"sku\": \"GOOD-" + s + "\", \"price\": 8.25}, {\"sku\": [\"GOOD-" + s + "\"], \"price\": 1}]");
        JsonNode json = register(feedBody("/bad-json-" + s, "JSON", Map.of("matchBy", "SKU", "key", "sku", "price", "price"), "USD"));
        JsonNode jsonStatus = fetch(json).path("status");
        assertThat(jsonStatus.path("rowsMatched").asInt()).isEqualTo(1);
        assertThat(jsonStatus.path("rowsRejected").asInt()).isEqualTo(5);

        // a document that cannot be read at all fails the fetch and keeps the last prices
        feeds.serve("/bad-json-" + s, "application/json", "[{\"sku\": \"GOOD-" + s + "\", \"price\": 1.00}");
        refetchSoon(json);
        JsonNode broken = fetch(json).path("status");
        assertThat(broken.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(broken.path("lastError").asText()).startsWith("Not readable as JSON");
        assertThat(prices(good).path("sources").findValuesAsText("price")).contains("8.25");
    }

    @Test
    void aSlowFeedTimesOutRecordsTheErrorAndKeepsThePreviousPrices() {
        String s = suffix();
        JsonNode kettle = product("20.00", "SLOW-" + s, null);
        String path = "/slow-" + s;
        feeds.serve(path, "application/json", "[{\"sku\": \"SLOW-" + s + "\", \"price\": 19.00}]");
        JsonNode feed = register(feedBody(path, "JSON", Map.of("matchBy", "SKU", "key", "sku", "price", "price"), "USD"));
        JsonNode first = fetch(feed).path("status");
        assertThat(first.path("outcome").asText()).isEqualTo("OK");
        String fetchedAt = prices(kettle).path("sources").get(0).path("fetchedAt").asText();

        // no answer within the read timeout (700 ms)
        feeds.on(path, exchange -> {
            Thread.sleep(2_500);
            FeedServer.send(exchange, "application/json", "[{\"sku\": \"SLOW-" + s + "\", \"price\": 1.00}]");
        });
        refetchSoon(feed);
        long started = System.nanoTime();
        JsonNode slow = fetch(feed).path("status");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_400));
        assertThat(slow.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(slow.path("lastError").asText()).contains("Timed out");
        assertThat(slow.path("lastSuccessAt").asText()).isEqualTo(first.path("lastSuccessAt").asText());
        JsonNode kept = prices(kettle).path("sources").get(0);
        assertThat(kept.path("price").decimalValue()).isEqualByComparingTo("19.00");
        assertThat(kept.path("fetchedAt").asText()).isEqualTo(fetchedAt);
        assertThat(kept.path("lastFetchFailed").asBoolean()).isTrue();

        // a feed that drips a byte at a time, each within the read timeout, is cut off by the whole-download limit (3 s)
        feeds.on(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write('[');
                for (int i = 0; i < 100; i++) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(300);
                }
            }
        });
        refetchSoon(feed);
        started = System.nanoTime();
        JsonNode drip = fetch(feed).path("status");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
        assertThat(drip.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(drip.path("lastError").asText()).contains("longer than 3000 ms");
    }

    @Test
    void aHugeFeedIsStoppedAtTheSizeLimit() {
        String s = suffix();
        int[] written = {0};
        // no Content-Length: the limit (64 KiB) must stop the streamed read
        feeds.on("/huge-" + s, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            byte[] row = "{\"sku\": \"HUGE\", \"price\": 1.00},".getBytes(StandardCharsets.UTF_8);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write('[');
                for (int i = 0; i < 1_000_000; i++) { // 33 MB if nobody stopped reading
                    out.write(row);
                    written[0] += row.length;
                }
            }
        });
        JsonNode feed = register(feedBody("/huge-" + s, "JSON", Map.of("matchBy", "SKU", "key", "sku", "price", "price"), "USD"));
        JsonNode status = fetch(feed).path("status");
        assertThat(status.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(status.path("lastError").asText()).contains("larger than the limit of 65536 bytes");
        assertThat(written[0]).isLessThan(10_000_000);

        // a declared length above the limit is refused before reading
        feeds.on("/declared-" + s, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 50_000_000);
            exchange.getResponseBody().write('[');
            exchange.getResponseBody().flush();
            Thread.sleep(1_000);
        });
        JsonNode declared = register(feedBody("/declared-" + s, "JSON", Map.of("matchBy", "SKU", "key", "sku", "price", "price"), "USD"));
        assertThat(fetch(declared).path("status").path("lastError").asText()).contains("50000000 bytes, more than the limit");
    }

    @Test
    void theWrongContentTypeAndARedirectToAnotherSchemeAreRefused() {
        String s = suffix();
        JsonNode product = product("5.00", "TYPE-" + s, null);
        feeds.serve("/html-" + s, "text/html", "<html>[{\"sku\": \"TYPE-" + s + "\", \"price\": 1}]</html>");
        JsonNode html = register(feedBody("/html-" + s, "JSON", Map.of("matchBy", "SKU", "key", "sku", "price", "price"), "USD"));
        JsonNode htmlStatus = fetch(html).path("status");
        assertThat(htmlStatus.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(htmlStatus.path("lastError").asText()).isEqualTo("Content type text/html is not JSON");

        feeds.on("/to-ftp-" + s, exchange -> {
            exchange.getResponseHeaders().set("Location", "ftp://127.0.0.1/feed.json");
            exchange.sendResponseHeaders(302, -1);
        });
        JsonNode ftp = register(feedBody("/to-ftp-" + s, "JSON", Map.of("matchBy", "SKU", "key", "sku", "price", "price"), "USD"));
        assertThat(fetch(ftp).path("status").path("lastError").asText()).contains("Redirect to a ftp URL refused");
        feeds.on("/to-file-" + s, exchange -> {
            exchange.getResponseHeaders().set("Location", "file:///etc/passwd");
            exchange.sendResponseHeaders(301, -1);
        });
        JsonNode file = register(feedBody("/to-file-" + s, "JSON", Map.of("matchBy", "SKU", "key", "sku", "price", "price"), "USD"));
        assertThat(fetch(file).path("status").path("lastError").asText()).contains("Redirect to a file URL refused");
        assertThat(prices(product).path("sources").size()).isZero();

        // an http redirect is followed (and checked like the first URL)
        feeds.serve("/target-" + s, "application/json", "[{\"sku\": \"TYPE-" + s + "\", \"price\": 4.00}]");
        feeds.on("/moved-" + s, exchange -> {
            exchange.getResponseHeaders().set("Location", "/target-" + s);
            exchange.sendResponseHeaders(302, -1);
        });
        JsonNode moved = register(feedBody("/moved-" + s, "JSON", Map.of("matchBy", "SKU", "key", "sku", "price", "price"), "USD"));
        assertThat(fetch(moved).path("status").path("outcome").asText()).isEqualTo("OK");
        assertThat(prices(product).path("sources").get(0).path("price").decimalValue()).isEqualByComparingTo("4.00");
    }

    @Test
    void privateAddressesAreRefusedUnlessAllowed() throws Exception {
        FeedDownloader strict = new FeedDownloader(new PriceFeedSettings(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(2), 1024, 3, false));
        for (String url : List.of("http://127.0.0.1:9/x", "http://10.1.2.3/x", "http://169.254.169.254/latest/meta-data/",
                "http://[::1]/x", "http://192.168.0.1/x", "http://100.64.0.1/x", "http://0.0.0.0/x", "http://[::ffff:127.0.0.1]/x",
                "http://[fd00::1]/x")) {
            try {
                strict.download(url, "JSON");
                throw new AssertionError(url + " was fetched");
            } catch (FeedException e) {
                assertThat(e.getMessage()).as(url).contains("non-public address");
            }
        }
        assertThat(FeedDownloader.isPublic(java.net.InetAddress.getByName("93.184.215.14"))).isTrue();
        assertThat(FeedDownloader.isPublic(java.net.InetAddress.getByName("2606:2800:21f:cb07:6820:80da:af6b:8b2c"))).isTrue();
    }

    @Test
    void twoReplicasFetchingAtOnceFetchAndApplyTheFeedOnce() throws Exception {
        String s = suffix();
        JsonNode product = product("12.00", "RACE-" + s, null);
        String path = "/race-" + s;
        feeds.on(path, exchange -> {
            Thread.sleep(300); // both replicas are asking while the first fetch is in flight
            FeedServer.send(exchange, "application/json", "[{\"sku\": \"RACE-" + s + "\", \"price\": 11.00}]");
        });
        JsonNode feed = register(feedBody(path, "JSON", Map.of("matchBy", "SKU", "key", "sku", "price", "price"), "USD"));
        PriceFeedRepository repo = new PriceFeedRepository(CATALOG.module().context().db());
        PriceFeedSettings settings = PriceFeedSettings.from(CATALOG.module().context().config());
        List<PriceFeedFetcher> replicas = List.of(new PriceFeedFetcher(repo, settings), new PriceFeedFetcher(repo, settings));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (PriceFeedFetcher replica : replicas) {
                results.add(pool.submit((Callable<Boolean>) () -> {
                    go.await();
                    return replica.fetchNextDue();
                }));
            }
            go.countDown();
            List<Boolean> fetched = new ArrayList<>();
            for (Future<Boolean> f : results) {
                fetched.add(f.get());
            }
            assertThat(fetched).containsExactlyInAnyOrder(true, false);
        } finally {
            pool.shutdownNow();
        }
        assertThat(feeds.hits(path)).isEqualTo(1);
        assertThat(CATALOG.count("SELECT count(*) FROM competitor_prices WHERE feed_id = ?::uuid", feed.path("id").asText())).isEqualTo(1);
        assertThat(prices(product).path("sources").get(0).path("price").decimalValue()).isEqualByComparingTo("11.00");

        // a replica whose claim ran out (it stalled) and was taken over writes nothing
        refetchSoon(feed);
        UUID stalled = UUID.randomUUID();
        UUID fresh = UUID.randomUUID();
        assertThat(repo.claimDue(stalled, Duration.ofMinutes(5))).isPresent();
        assertThat(repo.claimDue(fresh, Duration.ofMinutes(5))).as("claimed already").isEmpty();
        CATALOG.sql("UPDATE price_feeds SET claimed_until = now() - interval '1 second' WHERE id = '" + feed.path("id").asText() + "'");
        assertThat(repo.claimDue(fresh, Duration.ofMinutes(5))).isPresent();
        List<FeedParser.Row> rows = List.of(new FeedParser.Row("RACE-" + s, new BigDecimal("1.00"), "USD"));
        UUID feedId = UUID.fromString(feed.path("id").asText());
        assertThat(repo.applyFetch(feedId, stalled, "SKU", rows, 0)).isEmpty();
        assertThat(repo.recordFailure(feedId, stalled, "too late")).isFalse();
        assertThat(prices(product).path("sources").get(0).path("price").decimalValue()).isEqualByComparingTo("11.00");
        assertThat(repo.applyFetch(feedId, fresh, "SKU", rows, 0)).isPresent();
        assertThat(prices(product).path("sources").get(0).path("price").decimalValue()).isEqualByComparingTo("1.00");

        // a fetch in progress while the admin changes the feed stores nothing: it read with the old settings
        refetchSoon(feed);
        UUID before = UUID.randomUUID();
        assertThat(repo.claimDue(before, Duration.ofMinutes(5))).isPresent();
        assertThat(http.put("/api/products/price-feeds/" + feedId, CATALOG.admin(), Map.of("intervalMinutes", 90)).status()).isEqualTo(200);
        List<FeedParser.Row> old = List.of(new FeedParser.Row("RACE-" + s, new BigDecimal("2.00"), "USD"));
        assertThat(repo.applyFetch(feedId, before, "SKU", old, 0)).isEmpty();
        assertThat(prices(product).path("sources").get(0).path("price").decimalValue()).isEqualByComparingTo("1.00");
    }

    @Test
    void feedsAreValidatedFieldByFieldAndOnlyAdminsManageThem() {
        Map<String, Object> good = feedBody("/x.json", "JSON", Map.of("matchBy", "SKU", "key", "sku", "price", "price"), "USD");
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        List<Map<String, Object>> bodies = new ArrayList<>();
        Object[][] bad = {
                {"url", "ftp://example.com/feed.csv", "url"}, {"url", "file:///etc/passwd", "url"}, {"url", "http://user:pw@example.com/f", "url"},
                {"url", "javascript:alert(1)", "url"}, {"format", "XML", "format"}, {"intervalMinutes", 1, "intervalMinutes"},
                {"intervalMinutes", 20_000, "intervalMinutes"}, {"currency", "usd", "currency"}, {"name", " ", "name"},
                {"mapping", Map.of("matchBy", "EAN", "key", "k", "price", "p"), "mapping.matchBy"},
                {"mapping", Map.of("matchBy", "SKU", "price", "p"), "mapping.key"},
                {"mapping", Map.of("matchBy", "SKU", "key", "k"), "mapping.price"},
                {"mapping", Map.of("matchBy", "SKU", "key", "k", "price", "p", "items", "products"), "mapping.items"}};
        for (Object[] b : bad) {
            Map<String, Object> body = new HashMap<>(good);
            body.put((String) b[0], b[1]);
            TestHttp.Reply reply = http.post("/api/products/price-feeds", CATALOG.admin(), body);
            assertThat(reply.status()).as(b[0] + "=" + b[1] + " " + reply).isEqualTo(400);
            assertThat(reply.firstErrorField()).as(reply.toString()).isEqualTo(b[2]);
        }
        Map<String, Object> noCurrency = new HashMap<>(good);
        noCurrency.remove("currency");
        assertThat(http.post("/api/products/price-feeds", CATALOG.admin(), noCurrency).firstErrorField()).isEqualTo("currency");
        Map<String, Object> csvItems = feedBody("/x.csv", "CSV", Map.of("matchBy", "SKU", "key", "k", "price", "p", "items", "/rows"), "USD");
        assertThat(http.post("/api/products/price-feeds", CATALOG.admin(), csvItems).firstErrorField()).isEqualTo("mapping.items");

        JsonNode feed = register(new HashMap<>(Map.of("name", "Managed " + suffix(), "url", "https://feeds.example.com/p.json", "format", "JSON",
                "mapping", Map.of("matchBy", "SKU", "key", "sku", "price", "price"), "currency", "USD", "intervalMinutes", 60, "enabled", false)));
        String path = "/api/products/price-feeds/" + feed.path("id").asText();
        assertThat(http.post("/api/products/price-feeds", CATALOG.admin(), Map.of("name", feed.path("name").asText(), "url", "https://a.example/x",
                "format", "CSV", "mapping", Map.of("matchBy", "GTIN", "key", "ean", "price", "price"), "currency", "USD", "intervalMinutes", 60))
                .status()).as("same name").isEqualTo(409);
        // PUT changes the fields present; the whole result is validated
        TestHttp.Reply put = http.put(path, CATALOG.admin(), Map.of("intervalMinutes", 30, "format", "CSV"));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.data().path("intervalMinutes").asInt()).isEqualTo(30);
        assertThat(put.data().path("url").asText()).isEqualTo("https://feeds.example.com/p.json");
        assertThat(http.put(path, CATALOG.admin(), Map.of("mapping", Map.of("matchBy", "SKU", "key", "k", "price", "p", "items", "/x")))
                .firstErrorField()).isEqualTo("mapping.items");
        assertThat(http.post(path + "/fetch", CATALOG.admin(), null).status()).as("disabled").isEqualTo(409);
        assertThat(http.get("/api/products/price-feeds", CATALOG.admin()).data().findValuesAsText("id")).contains(feed.path("id").asText());

        String vendor = CATALOG.token(VENDOR, Role.VENDOR);
        String shopper = CATALOG.shopper(UUID.randomUUID());
        for (String token : List.of(vendor, shopper)) {
            assertThat(http.get("/api/products/price-feeds", token).status()).isEqualTo(403);
            assertThat(http.post("/api/products/price-feeds", token, good).status()).isEqualTo(403);
            assertThat(http.put(path, token, Map.of("intervalMinutes", 10)).status()).isEqualTo(403);
            assertThat(http.delete(path, token).status()).isEqualTo(403);
        }
        assertThat(http.get("/api/products/price-feeds", null).status()).isEqualTo(401);
        assertThat(http.get("/api/products/price-feeds/" + UUID.randomUUID(), CATALOG.admin()).status()).isEqualTo(404);
    }

    @Test
    void theComparisonIsForAdminsAndTheProductsVendorOnly() {
        JsonNode product = product("3.00", "WHO-" + suffix(), null);
        String path = "/api/products/" + product.path("id").asText() + "/prices";
        assertThat(http.get(path, CATALOG.token(VENDOR, Role.VENDOR)).status()).isEqualTo(200);
        assertThat(http.get(path, CATALOG.admin()).status()).isEqualTo(200);
        assertThat(http.get(path, CATALOG.token(UUID.randomUUID(), Role.VENDOR)).status()).isEqualTo(403);
        assertThat(http.get(path, CATALOG.shopper(UUID.randomUUID())).status()).isEqualTo(403);
        assertThat(http.get(path, null).status()).isEqualTo(401);
        assertThat(http.get("/api/products/" + UUID.randomUUID() + "/prices", CATALOG.admin()).status()).isEqualTo(404);
        assertThat(http.get(path, CATALOG.admin()).header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void theSeedsAiPricesRouteIsTheSameComparisonForTheSameCallers() {
        JsonNode product = product("4.00", "SEED-" + suffix(), null);
        String id = product.path("id").asText();
        String alias = "/ai/prices/" + id;
        TestHttp.Reply ours = http.get("/api/products/" + id + "/prices", CATALOG.admin());
        TestHttp.Reply seeds = http.get(alias, CATALOG.admin());
        assertThat(seeds.status()).as(seeds.toString()).isEqualTo(200);
        assertThat(seeds.data()).isEqualTo(ours.data());
        assertThat(http.get(alias, CATALOG.token(VENDOR, Role.VENDOR)).status()).isEqualTo(200);
        assertThat(http.get(alias, CATALOG.token(UUID.randomUUID(), Role.VENDOR)).status()).isEqualTo(403);
        assertThat(http.get(alias, CATALOG.shopper(UUID.randomUUID())).status()).isEqualTo(403);
        assertThat(http.get(alias, null).status()).isEqualTo(401);
        assertThat(http.get("/ai/prices/" + UUID.randomUUID(), CATALOG.admin()).status()).isEqualTo(404);
        assertThat(http.get("/ai/prices/not-an-id", CATALOG.admin()).status()).isEqualTo(404);
    }

    @Test
    void aProductsGtinIsValidatedAndCanBeCleared() {
        TestHttp.Reply bad = http.post("/api/products", CATALOG.admin(), Map.of("name", "G", "price", new BigDecimal("1.00"), "gtin", "4006381333932"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.firstErrorField()).isEqualTo("gtin");
        assertThat(http.post("/api/products", CATALOG.admin(), Map.of("name", "G", "price", new BigDecimal("1.00"), "gtin", "12345"))
                .firstErrorField()).isEqualTo("gtin");
        JsonNode product = product("1.00", null, "4006381333931");
        assertThat(product.path("gtin").asText()).isEqualTo("4006381333931");
        String path = "/api/products/" + product.path("id").asText();
        assertThat(http.put(path, CATALOG.admin(), Map.of("gtin", "96385074")).data().path("gtin").asText()).isEqualTo("96385074");
        assertThat(http.put(path, CATALOG.admin(), Map.of("description", "x")).data().path("gtin").asText()).isEqualTo("96385074");
        assertThat(http.put(path, CATALOG.admin(), Map.of("gtin", "")).data().path("gtin").isNull()).isTrue();
    }
}
