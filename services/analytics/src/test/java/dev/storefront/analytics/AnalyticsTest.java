package dev.storefront.analytics;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.testing.OpenApiContract;
import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.common.testing.TestHttp;
import dev.storefront.common.web.Json;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Analytics against real PostgreSQL and NATS, in a shop whose days are Auckland's (UTC+13 in December, +12 in June). */
class AnalyticsTest {
    static final ZoneId SHOP = ZoneId.of("Pacific/Auckland");

    @RegisterExtension
    static final ServiceFixture<AnalyticsModule> ANALYTICS = ServiceFixture.of("analytics", AnalyticsModule::create)
            .set("storefront.analytics.time-zone", SHOP.getId())
            .set("storefront.analytics.batches-per-minute", "30");
    private static final TestHttp http = ANALYTICS.http();
    private static final String admin = ANALYTICS.admin();

    private static Map<String, Object> view(UUID product) {
        return Map.of("id", UUID.randomUUID().toString(), "type", "product_view", "productId", product.toString(),
                "sessionId", "sess-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static TestHttp.Reply post(String token, List<?> events) {
        return http.post("/api/analytics/events", token, Map.of("events", events));
    }

    private static long productViews(UUID product) {
        return ANALYTICS.count("SELECT coalesce(sum(views), 0) FROM product_daily WHERE product_id = ?", product);
    }

    private static void publish(String type, UUID eventId, Instant time, Object data) throws Exception {
        CloudEvent event = new CloudEvent("1.0", eventId, "/storefront/test", type, time, "application/json", Json.tree(data));
        Headers headers = new Headers().add("Nats-Msg-Id", UUID.randomUUID().toString()); // a new message each time: past JetStream's de-duplication
        ANALYTICS.module().context().bus().jetStream().publish(NatsMessage.builder()
                .subject(ANALYTICS.module().context().bus().subjectFor(type)).headers(headers)
                .data(Json.write(event).getBytes(StandardCharsets.UTF_8)).build());
    }

    /** Waits until {@code sql} answers {@code expected}, then checks it still does a moment later (no late double count). */
    private static void settlesAt(long expected, String sql, Object... params) throws InterruptedException {
        await().atMost(Duration.ofSeconds(20)).until(() -> ANALYTICS.count(sql, params) == expected);
        Thread.sleep(500);
        assertThat(ANALYTICS.count(sql, params)).as(sql).isEqualTo(expected);
    }

    @Test
    void clientEventsAreCheckedFieldByField() {
        UUID product = UUID.randomUUID();
        assertThat(post(null, List.of(Map.of("id", UUID.randomUUID().toString(), "type", "teleport", "sessionId", "abcdefgh")))
                .firstErrorField()).isEqualTo("events[0].type");
        assertThat(post(null, List.of(Map.of("id", UUID.randomUUID().toString(), "type", "purchase", "sessionId", "abcdefgh")))
                .firstErrorField()).isEqualTo("events[0].type");
        assertThat(post(null, List.of(Map.of("id", UUID.randomUUID().toString(), "type", "view", "productId", product.toString())))
                .firstErrorField()).isEqualTo("events[0].sessionId");
        assertThat(post(null, List.of(view(product), Map.of("id", "nope", "type", "view", "productId", product.toString(),
                "sessionId", "abcdefgh"))).firstErrorField()).isEqualTo("events[1].id");
        assertThat(post(null, List.of(Map.of("id", UUID.randomUUID().toString(), "type", "search", "sessionId", "abcdefgh",
                "query", "shoes"))).firstErrorField()).isEqualTo("events[0].resultCount");
        assertThat(post(null, List.of(Map.of("id", UUID.randomUUID().toString(), "type", "page_view", "sessionId", "abcdefgh",
                "path", "/x", "occurredAt", Instant.now().plus(1, ChronoUnit.DAYS).toString()))).firstErrorField())
                .isEqualTo("events[0].occurredAt");
        assertThat(post(null, List.of(Map.of("id", UUID.randomUUID().toString(), "type", "view", "sessionId", "abcdefgh",
                "productId", product.toString(), "colour", "red"))).firstErrorField()).isEqualTo("events[0].colour");
        assertThat(post(null, List.of(Map.of("id", UUID.randomUUID().toString(), "type", "view", "sessionId", "abcdefgh",
                "productId", product.toString(), "quantity", -1))).firstErrorField()).isEqualTo("events[0].quantity");
        assertThat(post(null, List.of()).firstErrorField()).isEqualTo("events");
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            tooMany.add(view(product));
        }
        assertThat(post(ANALYTICS.shopper(), tooMany).firstErrorField()).isEqualTo("events");
        assertThat(productViews(product)).isZero(); // nothing of a refused batch is stored

        TestHttp.Reply ok = post(null, List.of(view(product), Map.of("id", UUID.randomUUID().toString(), "type", "page_view",
                "sessionId", "abcdefgh", "path", "/products")));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(202);
        assertThat(ok.data().path("accepted").asInt()).isEqualTo(2);
        assertThat(productViews(product)).isEqualTo(1);
    }

    @Test
    void aRetriedBatchCountsOnce() {
        UUID product = UUID.randomUUID();
        List<Map<String, Object>> batch = List.of(view(product), view(product), view(product));
        assertThat(post(null, batch).data().path("accepted").asInt()).isEqualTo(3);
        TestHttp.Reply again = post(null, batch);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.data().path("duplicates").asInt()).isEqualTo(3);
        assertThat(productViews(product)).isEqualTo(3);
        assertThat(ANALYTICS.count("SELECT count(*) FROM events WHERE product_id = ?", product)).isEqualTo(3);
    }

    @Test
    void aBurstOfTenThousandClientEventsIsCountedExactly() throws Exception {
        UUID product = UUID.randomUUID();
        List<Future<TestHttp.Reply>> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int b = 0; b < 20; b++) {
                String shopper = ANALYTICS.shopper(UUID.randomUUID());
                List<Map<String, Object>> batch = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    batch.add(view(product));
                }
                replies.add(pool.submit(() -> post(shopper, batch)));
                if (b % 4 == 0) {
                    replies.add(pool.submit(() -> post(shopper, batch))); // some batches retried at once: still counted once
                }
            }
        }
        for (Future<TestHttp.Reply> r : replies) {
            assertThat(r.get().status()).as(r.get().toString()).isEqualTo(202);
        }
        assertThat(productViews(product)).isEqualTo(10_000);
        assertThat(ANALYTICS.count("SELECT coalesce(sum(views), 0) FROM product_hourly WHERE product_id = ?", product)).isEqualTo(10_000);
        assertThat(ANALYTICS.count("SELECT count(*) FROM events WHERE product_id = ?", product)).isEqualTo(10_000);
    }

    @Test
    void oneClientIsRateLimited() {
        String shopper = ANALYTICS.shopper(UUID.randomUUID());
        int accepted = 0;
        TestHttp.Reply last = null;
        for (int i = 0; i < 40; i++) {
            last = post(shopper, List.of(view(UUID.randomUUID())));
            if (last.status() != 202) {
                break;
            }
            accepted++;
        }
        assertThat(last.status()).isEqualTo(429);
        assertThat(accepted).isBetween(30, 31);
        assertThat(post(ANALYTICS.shopper(UUID.randomUUID()), List.of(view(UUID.randomUUID()))).status()).isEqualTo(202);
    }

    @Test
    void busEventsCountOnceUnderRedeliveryAndARelayRestart() throws Exception {
        UUID product = UUID.randomUUID();
        List<Map<String, Object>> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            entries.add(Map.of("id", UUID.randomUUID().toString(), "type", "product_view", "productId", product.toString(),
                    "occurredAt", Instant.now().toString()));
        }
        entries.add(Map.of("id", UUID.randomUUID().toString(), "type", "product_search", "query", "  Blue   KETTLE ",
                "resultCount", 0, "occurredAt", Instant.now().toString()));
        UUID batchId = UUID.randomUUID();
        publish("storefront.product.activity", batchId, Instant.now(), Map.of("events", entries));
        // the relay restarted before deleting its outbox row: the same envelope again, as a new message
        publish("storefront.product.activity", batchId, Instant.now(), Map.of("events", entries));
        // and a later batch repeating two entries (a flush retried after a crash) plus one new view
        List<Map<String, Object>> overlap = new ArrayList<>(entries.subList(0, 2));
        overlap.add(Map.of("id", UUID.randomUUID().toString(), "type", "product_view", "productId", product.toString()));
        publish("storefront.product.activity", UUID.randomUUID(), Instant.now(), Map.of("events", overlap));
        settlesAt(6, "SELECT coalesce(sum(views), 0) FROM product_daily WHERE product_id = ?", product);
        assertThat(ANALYTICS.count("SELECT coalesce(sum(zero_results), 0) FROM search_daily WHERE query = 'blue kettle'")).isEqualTo(1);

        TestHttp.Reply trending = http.get("/api/analytics/search/trending?window=24h", admin);
        assertThat(trending.status()).as(trending.toString()).isEqualTo(200);
        assertThat(trending.data().path("zeroResults").toString()).contains("blue kettle");

        UUID cartEvent = UUID.randomUUID();
        UUID shopper = UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            publish("storefront.cart.item_added", cartEvent, Instant.now(), Map.of("userId", shopper, "productId", product, "quantity", 2));
        }
        settlesAt(1, "SELECT coalesce(sum(adds), 0) FROM product_daily WHERE product_id = ?", product);
        assertThat(ANALYTICS.count("SELECT count(*) FROM session_days WHERE session_key = ? AND kind = 'cart'", "u:" + shopper)).isEqualTo(1);
    }

    private static Map<String, Object> order(UUID orderId, UUID productA, UUID productB) {
        return Map.of("id", orderId, "userId", UUID.randomUUID(), "status", "CONFIRMED", "total", new BigDecimal("35.00"),
                "currency", "EUR", "items", List.of(
                        Map.of("productId", productA, "name", "A", "unitPrice", new BigDecimal("10.00"), "quantity", 2, "lineTotal", new BigDecimal("20.00")),
                        Map.of("productId", productB, "name", "B", "unitPrice", new BigDecimal("15.00"), "quantity", 1, "lineTotal", new BigDecimal("15.00"))));
    }

    @Test
    void salesCountOnceAndACancellationAndRefundTakeThemBackOnce() throws Exception {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        UUID confirmed = UUID.randomUUID();
        Instant at = Instant.now();
        publish("storefront.order.confirmed", confirmed, at, order(orderId, a, b));
        publish("storefront.order.confirmed", confirmed, at, order(orderId, a, b));
        settlesAt(2, "SELECT coalesce(sum(purchases), 0) FROM product_daily WHERE product_id = ?", a);
        assertThat(ANALYTICS.count("SELECT coalesce(sum(revenue), 0)::bigint FROM product_daily WHERE product_id = ?", b)).isEqualTo(15);
        assertThat(ANALYTICS.count("SELECT count(*) FROM events WHERE order_id = ? AND type = 'purchase'", orderId)).isEqualTo(1);

        publish("storefront.order.cancelled", UUID.randomUUID(), Instant.now(), Map.of("id", orderId, "orderId", orderId,
                "previousStatus", "CONFIRMED", "total", 35));
        publish("storefront.payment.refunded", UUID.randomUUID(), Instant.now(), Map.of("orderId", orderId, "amount", 35));
        settlesAt(0, "SELECT coalesce(sum(purchases), 0) FROM product_daily WHERE product_id = ?", a);
        assertThat(ANALYTICS.count("SELECT coalesce(sum(revenue), 0)::bigint FROM product_daily WHERE product_id = ?", b)).isZero();
        assertThat(ANALYTICS.count("SELECT count(*) FROM events WHERE order_id = ?", orderId)).isEqualTo(3);
    }

    @Test
    void daysAreTheShopsDaysNotUtcs() {
        // the shop's yesterday, in Auckland: one view a second before its midnight, one a second after
        LocalDate yesterday = LocalDate.now(SHOP).minusDays(1);
        Instant midnight = yesterday.plusDays(1).atStartOfDay(SHOP).toInstant();
        UUID product = UUID.randomUUID();
        List<Map<String, Object>> batch = new ArrayList<>();
        for (Instant t : List.of(midnight.minusSeconds(1), midnight.plusSeconds(1), midnight.plusSeconds(2))) {
            Map<String, Object> e = new HashMap<>(view(product));
            e.put("occurredAt", t.toString());
            batch.add(e);
        }
        assertThat(post(null, batch).status()).isEqualTo(202);
        assertThat(ANALYTICS.count("SELECT views FROM product_daily WHERE product_id = ? AND day = ?::date", product, yesterday.toString())).isEqualTo(1);
        assertThat(ANALYTICS.count("SELECT views FROM product_daily WHERE product_id = ? AND day = ?::date", product,
                yesterday.plusDays(1).toString())).isEqualTo(2);
        // in UTC all three fall on one day: the shop's day is not UTC's
        assertThat(LocalDate.ofInstant(midnight.minusSeconds(1), ZoneOffset.UTC)).isEqualTo(LocalDate.ofInstant(midnight.plusSeconds(1), ZoneOffset.UTC));

        JsonNode dash = http.get("/api/analytics/dashboard?from=" + yesterday + "&to=" + yesterday.plusDays(1), admin).data();
        assertThat(dash.path("timeZone").asText()).isEqualTo(SHOP.getId());
        assertThat(dash.path("days")).hasSize(2);
        assertThat(dash.path("days").get(0).path("day").asText()).isEqualTo(yesterday.toString());
    }

    @Test
    void aLateEventLandsInItsOwnDay() {
        Instant late = Instant.now().minus(Duration.ofDays(12));
        UUID product = UUID.randomUUID();
        Map<String, Object> e = new HashMap<>(view(product));
        e.put("occurredAt", late.toString());
        assertThat(post(null, List.of(e)).data().path("accepted").asInt()).isEqualTo(1);
        assertThat(ANALYTICS.count("SELECT views FROM product_daily WHERE product_id = ? AND day = ?::date", product,
                LocalDate.ofInstant(late, SHOP).toString())).isEqualTo(1);
        assertThat(ANALYTICS.count("SELECT count(*) FROM pg_class WHERE relname = ?", "events_"
                + LocalDate.ofInstant(late, ZoneOffset.UTC).toString().replace("-", ""))).isEqualTo(1);
        assertThat(ANALYTICS.count("SELECT count(*) FROM ONLY events")).isZero(); // rows live in the partitions
    }

    @Test
    void retentionDropsOnlyExpiredPartitions() {
        AnalyticsModule module = ANALYTICS.module();
        // an event 40 days old and one 30 days old (both within the default 90 days)
        UUID product = UUID.randomUUID();
        for (int days : List.of(40, 30)) {
            Map<String, Object> e = new HashMap<>(view(product));
            e.put("occurredAt", Instant.now().minus(Duration.ofDays(days)).toString());
            assertThat(post(null, List.of(e)).status()).isEqualTo(202);
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        // the same database seen with a 35-day retention
        AnalyticsSettings base = AnalyticsSettings.from(module.context().config());
        AnalyticsSettings shorter = new AnalyticsSettings(base.zone(), 35, base.partitionsAhead(), base.partitionInterval(),
                base.maxBatch(), base.batchesPerMinute(), null, base.windows());
        EventPartitions partitions = new EventPartitions(module.context().db(), shorter, Clock.systemUTC());
        List<LocalDate> dropped = partitions.maintain();
        assertThat(dropped).contains(today.minusDays(40)).allMatch(d -> d.isBefore(today.minusDays(35)));
        assertThat(partitions.existing()).contains(today.minusDays(30), today, today.plusDays(shorter.partitionsAhead()))
                .noneMatch(d -> d.isBefore(today.minusDays(35)));
        assertThat(ANALYTICS.count("SELECT count(*) FROM events WHERE product_id = ?", product)).isEqualTo(1);
        assertThat(ANALYTICS.count("SELECT count(*) FROM event_ids WHERE occurred_at < now() - interval '36 days'")).isZero();
        assertThat(productViews(product)).isEqualTo(2); // rollups outlive the raw events
        // the running service (retention 90 days) still counted the dropped day's partition as there, as an
        // old replica does while a roll-out shortens the retention: its next event of that day still lands
        Map<String, Object> late = new HashMap<>(view(product));
        late.put("occurredAt", Instant.now().minus(Duration.ofDays(40)).toString());
        assertThat(post(null, List.of(late)).status()).isEqualTo(202);
        assertThat(ANALYTICS.count("SELECT count(*) FROM events WHERE product_id = ?", product)).isEqualTo(2);
        assertThat(module.partitions().existing()).contains(today.minusDays(40));
    }

    /** A window's running totals against the raw events: views, adds and searches whose shop hour or day it holds. */
    private static void windowAgreesWithRawEvents(WindowTotals.Spec spec, LocalDateTime start, UUID product, String query) {
        String since = "(occurred_at AT TIME ZONE '" + SHOP.getId() + "') >= ?::timestamp";
        assertThat(ANALYTICS.count("SELECT coalesce(max(views), 0) FROM product_window WHERE name = ? AND product_id = ?", spec.name(), product))
                .as("views in %s from %s", spec.name(), start)
                .isEqualTo(ANALYTICS.count("SELECT count(*) FROM events WHERE type = 'product_view' AND product_id = ? AND " + since, product, start.toString()));
        assertThat(ANALYTICS.count("SELECT coalesce(max(adds), 0) FROM product_window WHERE name = ? AND product_id = ?", spec.name(), product))
                .as("adds in %s from %s", spec.name(), start)
                .isEqualTo(ANALYTICS.count("SELECT count(*) FROM events WHERE type = 'add_to_cart' AND product_id = ? AND " + since, product, start.toString()));
        assertThat(ANALYTICS.count("SELECT coalesce(max(zero_results), 0) FROM search_window WHERE name = ? AND query = ?", spec.name(), query))
                .as("zero-result searches in %s from %s", spec.name(), start)
                .isEqualTo(ANALYTICS.count("SELECT count(*) FROM events WHERE type = 'product_search' AND query = ? AND result_count = 0 AND " + since,
                        query, start.toString()));
        String table = spec.hourly() ? "product_hourly WHERE hour >= ?::timestamp" : "product_daily WHERE day >= ?::date";
        String bound = spec.hourly() ? start.toString() : start.toLocalDate().toString();
        assertThat(ANALYTICS.count("SELECT coalesce(max(revenue), 0)::bigint * 1000 + coalesce(max(purchases), 0) FROM product_window "
                + "WHERE name = ? AND product_id = ?", spec.name(), product)).as("sales in %s from %s", spec.name(), start)
                .isEqualTo(ANALYTICS.count("SELECT coalesce(sum(revenue), 0)::bigint * 1000 + coalesce(sum(purchases), 0) FROM " + table
                        + " AND product_id = ?", bound, product));
    }

    @Test
    void windowTotalsAgreeWithTheRawEventsAsEventsArriveAndTheWindowsMove() throws Exception {
        WindowTotals windows = ANALYTICS.module().repository().windows();
        List<WindowTotals.Spec> specs = List.of(windows.spec("24h").orElseThrow(), windows.spec("7d").orElseThrow(), windows.spec("30d").orElseThrow());
        LocalDateTime now = LocalDateTime.now(SHOP);
        for (WindowTotals.Spec spec : specs) { // built from the rollups now, so the events below are added to them
            windows.roll(spec, spec.startAt(now));
        }
        UUID product = UUID.randomUUID();
        String query = "window check " + UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> batch = new ArrayList<>();
        Instant at = Instant.now();
        for (long hoursAgo : new long[] {0, 1, 5, 23, 30, 24 * 3, 24 * 6 + 20, 24 * 10, 24 * 29, 24 * 33}) {
            String t = at.minus(Duration.ofHours(hoursAgo)).toString();
            String session = "sess-" + hoursAgo + "-windows";
            batch.add(Map.of("id", UUID.randomUUID().toString(), "type", "view", "productId", product.toString(), "sessionId", session, "occurredAt", t));
            batch.add(Map.of("id", UUID.randomUUID().toString(), "type", "view", "productId", product.toString(), "sessionId", session, "occurredAt", t));
            if (hoursAgo % 2 == 0) {
                batch.add(Map.of("id", UUID.randomUUID().toString(), "type", "add_to_cart", "productId", product.toString(), "sessionId", session,
                        "occurredAt", t));
            }
            batch.add(Map.of("id", UUID.randomUUID().toString(), "type", "search", "query", query, "resultCount", 0, "sessionId", session,
                    "occurredAt", t));
        }
        assertThat(post(null, batch).status()).isEqualTo(202);
        assertThat(post(null, batch).data().path("duplicates").asInt()).isEqualTo(batch.size()); // a retry adds nothing to the windows either
        UUID orderId = UUID.randomUUID();
        publish("storefront.order.confirmed", UUID.randomUUID(), Instant.now(), order(orderId, product, UUID.randomUUID()));
        settlesAt(2, "SELECT coalesce(max(purchases), 0) FROM product_window WHERE name = '7d' AND product_id = ?", product);
        for (WindowTotals.Spec spec : specs) {
            windowAgreesWithRawEvents(spec, spec.startAt(now), product, query);
        }

        // the answers come from the totals: the same numbers as the raw events
        JsonNode popular = http.get("/api/analytics/products/popular?window=7d&by=views&limit=100", admin).data();
        JsonNode mine = null;
        for (JsonNode p : popular.path("products")) {
            mine = product.toString().equals(p.path("productId").asText()) ? p : mine;
        }
        assertThat(mine).as(popular.toString()).isNotNull();
        assertThat(mine.path("views").asLong()).isEqualTo(ANALYTICS.count("SELECT views FROM product_window WHERE name = '7d' AND product_id = ?", product));
        JsonNode trending = http.get("/api/analytics/search/trending?window=30d&limit=100", admin).data();
        assertThat(trending.path("zeroResults").toString()).contains(query);
        // the dashboard's top products over its 30 days (a configured window) equal the sum over the daily rollups
        LocalDate today = LocalDate.now(SHOP);
        JsonNode dash = http.get("/api/analytics/dashboard?from=" + today.minusDays(29) + "&to=" + today + "&top=20", admin).data();
        List<String> scanned = ANALYTICS.module().context().db().execute().query("""
                SELECT product_id::text || ' ' || sum(views) || ' ' || sum(purchases) || ' ' || sum(revenue) AS line FROM product_daily
                WHERE day BETWEEN ?::date AND ?::date GROUP BY product_id
                ORDER BY sum(revenue) DESC, sum(purchases) DESC, sum(views) DESC, product_id LIMIT 20""", today.minusDays(29).toString(), today.toString())
                .map(r -> r.column("line").as(String.class).get()).toList();
        List<String> answered = new ArrayList<>();
        dash.path("topProducts").forEach(p -> answered.add(p.path("productId").asText() + " " + p.path("views").asLong() + " "
                + p.path("purchases").asLong() + " " + new BigDecimal(p.path("revenue").asText()).setScale(2).toPlainString()));
        assertThat(answered).isEqualTo(scanned);

        // a cancellation takes the sale back out of every window holding it
        publish("storefront.order.cancelled", UUID.randomUUID(), Instant.now(), Map.of("id", orderId, "orderId", orderId,
                "previousStatus", "CONFIRMED", "total", 35));
        settlesAt(0, "SELECT coalesce(max(purchases), 0) FROM product_window WHERE name = '7d' AND product_id = ?", product);

        // the windows move on (an hour, a day later): the buckets that left are subtracted; moving back rebuilds
        for (WindowTotals.Spec spec : specs) {
            LocalDateTime later = spec.hourly() ? spec.startAt(now).plusHours(6) : spec.startAt(now).plusDays(2);
            windows.roll(spec, later);
            windowAgreesWithRawEvents(spec, later, product, query);
            windows.roll(spec, spec.startAt(now));
            windowAgreesWithRawEvents(spec, spec.startAt(now), product, query);
        }
    }

    @Test
    void aVendorSeesOnlyTheirOwnProducts() throws Exception {
        UUID vendorA = UUID.randomUUID();
        UUID vendorB = UUID.randomUUID();
        UUID mine = UUID.randomUUID();
        UUID theirs = UUID.randomUUID();
        publish("storefront.product.created", UUID.randomUUID(), Instant.now(), Map.of("id", mine, "vendorId", vendorA, "name", "Mine"));
        publish("storefront.product.created", UUID.randomUUID(), Instant.now(), Map.of("id", theirs, "vendorId", vendorB, "name", "Theirs"));
        settlesAt(2, "SELECT count(*) FROM products WHERE product_id IN (?, ?)", mine, theirs);
        post(null, List.of(view(mine), view(theirs), view(theirs)));

        JsonNode own = http.get("/api/analytics/products/popular?by=views&window=1d&limit=100", ANALYTICS.vendor(vendorA)).data();
        assertThat(own.path("products").toString()).contains(mine.toString()).doesNotContain(theirs.toString());
        JsonNode all = http.get("/api/analytics/products/popular?by=views&window=1d&limit=100", admin).data();
        assertThat(all.path("products").toString()).contains(mine.toString(), theirs.toString());
        JsonNode dash = http.get("/api/analytics/dashboard", ANALYTICS.vendor(vendorA)).data();
        assertThat(dash.path("scope").asText()).isEqualTo("vendor");
        assertThat(dash.path("views").asLong()).isEqualTo(1);
        assertThat(dash.has("orders")).isFalse();
        assertThat(dash.path("topProducts").toString()).contains(mine.toString()).doesNotContain(theirs.toString());
        assertThat(http.get("/api/analytics/search/trending", ANALYTICS.vendor(vendorA)).status()).isEqualTo(403);
    }

    @Test
    void queriesCheckWhoAsksAndWhatTheyAsk() {
        assertThat(http.get("/api/analytics/dashboard", null).status()).isEqualTo(401);
        assertThat(http.get("/api/analytics/dashboard", ANALYTICS.shopper()).status()).isEqualTo(403);
        assertThat(http.get("/api/analytics/dashboard?from=yesterday", admin).firstErrorField()).isEqualTo("from");
        assertThat(http.get("/api/analytics/dashboard?from=2026-02-02&to=2026-02-01", admin).firstErrorField()).isEqualTo("from");
        assertThat(http.get("/api/analytics/dashboard?from=2020-01-01&to=2026-02-01", admin).firstErrorField()).isEqualTo("from");
        assertThat(http.get("/api/analytics/products/popular?by=likes", admin).firstErrorField()).isEqualTo("by");
        assertThat(http.get("/api/analytics/products/popular?window=forever", admin).firstErrorField()).isEqualTo("window");
        assertThat(http.get("/api/analytics/search/trending?window=999h", admin).firstErrorField()).isEqualTo("window");
        assertThat(http.get("/api/analytics/search/trending?limit=0", admin).firstErrorField()).isEqualTo("limit");
        TestHttp.Reply dash = http.get("/api/analytics/dashboard", admin);
        assertThat(dash.status()).isEqualTo(200);
        assertThat(dash.data().path("days")).hasSize(30);
    }

    @Test
    void openApiDocumentMatchesTheRoutes() {
        OpenApiContract.assertMatches(ANALYTICS.module());
    }
}
