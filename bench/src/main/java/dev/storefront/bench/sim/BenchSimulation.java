package dev.storefront.bench.sim;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.storefront.bench.Workload;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

/**
 * Every bench scenario in Gatling's Java DSL. Which one runs, at what open-model arrival rate and
 * for how long comes from {@link Workload#plan()}. Each request's status and response time go to
 * the harness's HdrHistogram recorder, which keeps only requests started in the measured window.
 */
public class BenchSimulation extends Simulation {
    private static final String ADDRESS = "{\"fullName\":\"Bench Shopper\",\"line1\":\"1 Load Street\",\"city\":\"Testville\","
            + "\"postalCode\":\"10001\",\"country\":\"US\"}";
    private static final String[] SORTS = {"price_asc", "price_desc", "newest"};

    private final Workload.Plan plan = Workload.plan();

    {
        HttpProtocolBuilder protocol = http.baseUrl(plan.baseUrl())
                .acceptHeader("application/json")
                .userAgentHeader("storefront-bench")
                .shareConnections() // a fleet of clients behind keep-alive connections, like wrk
                .disableCaching()   // catalog's ETags must not turn requests into local cache hits
                .disableWarmUp()
                .disableFollowRedirect();
        ScenarioBuilder scenario = switch (plan.kind()) {
            case TRIVIAL -> scenario("trivial").exec(get("trivial", "/ping"));
            case BROWSE -> scenario("browse").exec(session -> browse(session, true)).exec(get("#{req}", "#{url}"));
            case CATALOG_SCALE -> scenario("catalog scale").exec(session -> browse(session, false)).exec(get("#{req}", "#{url}"));
            case CART_CHURN -> scenario("cart churn").feed(shoppers(true)).exec(session -> session.set("pid", spreadProduct()))
                    .exec(send("cart.add", http("cart.add").post("/api/cart/add")
                            .body(StringBody("{\"productId\":\"#{pid}\",\"quantity\":1}")).asJson()))
                    .exec(send("cart.update", http("cart.update").put("/api/cart/items/#{pid}")
                            .body(StringBody("{\"quantity\":2}")).asJson()))
                    .exec(send("cart.remove", http("cart.remove").delete("/api/cart/items/#{pid}")));
            case CHECKOUT -> scenario("checkout").feed(shoppers(true)).exec(session -> session.set("pid", spreadProduct()))
                    .exec(send("checkout.add", http("checkout.add").post("/api/cart/add")
                            .body(StringBody("{\"productId\":\"#{pid}\",\"quantity\":1}")).asJson()))
                    .exec(checkout("checkout"));
            case FLASH_SALE -> scenario("flash sale").feed(shoppers(false)).exec(checkout("flash"));
        };
        OpenInjectionStep[] injection = plan.kind() == Workload.Kind.FLASH_SALE
                ? new OpenInjectionStep[] {atOnceUsers(plan.atOnceUsers())}
                : new OpenInjectionStep[] {
                        rampUsersPerSec(Math.max(1, plan.usersPerSec() / 10)).to(plan.usersPerSec()).during(plan.warmupSeconds()),
                        constantUsersPerSec(plan.usersPerSec()).during(plan.measureSeconds())};
        setUp(scenario.injectOpen(injection).protocols(protocol))
                .maxDuration(plan.warmupSeconds() + plan.measureSeconds() + 60L);
    }

    @Override
    public void before() {
        long now = System.currentTimeMillis();
        long from = now + plan.warmupSeconds() * 1000L;
        Workload.recorder().window(from, from + plan.measureSeconds() * 1000L);
    }

    private static ChainBuilder get(String name, String url) {
        return send(name, http(name).get(url));
    }

    /** The request with two checks that never fail (status, response time), then the recording. */
    private static ChainBuilder send(String name, HttpRequestActionBuilder request) {
        HttpRequestActionBuilder withToken = name.startsWith("cart") || name.startsWith("checkout")
                ? request.header("Authorization", session -> "Bearer " + session.getString("token")) : request;
        return exec(withToken.check(status().saveAs("st"), responseTimeInMillis().saveAs("rt")))
                .exec(session -> record(session, name.startsWith("#{") ? session.getString("req") : name));
    }

    private static ChainBuilder checkout(String name) {
        HttpRequestActionBuilder request = http(name).post("/api/checkout")
                .header("Authorization", session -> "Bearer " + session.getString("token"))
                .header("Idempotency-Key", session -> UUID.randomUUID().toString())
                .body(StringBody("{\"shippingAddress\":" + ADDRESS + ",\"paymentMethod\":\"pm_card_visa\"}")).asJson()
                .check(status().saveAs("st"), responseTimeInMillis().saveAs("rt"),
                        jsonPath("$.data.status").optional().saveAs("cs"),
                        jsonPath("$.data.orderId").optional().saveAs("oid"));
        return exec(request).exec(session -> {
            if (name.equals("flash")) {
                String cs = session.contains("st") ? session.getInt("st") + " " + (session.contains("cs") ? session.getString("cs") : "-") : "no answer";
                Workload.flash().checkoutStatuses.computeIfAbsent(cs, k -> new LongAdder()).increment();
                if (session.contains("cs") && "COMPLETED".equals(session.getString("cs")) && session.contains("oid")) {
                    Workload.flash().completedOrderIds.add(session.getString("oid"));
                }
            }
            return record(session, name).removeAll("cs", "oid");
        });
    }

    private static Session record(Session session, String name) {
        int st = session.contains("st") ? session.getInt("st") : 0;
        long rt = session.contains("rt") ? session.getInt("rt") : -1;
        Workload.recorder().record(name, st, rt, System.currentTimeMillis());
        return session.removeAll("st", "rt");
    }

    /**
     * A shopper's page view: a filtered, sorted, paged list from catalog (40%), a search of the search
     * service (30%) or a product page (30%). Catalog scale uses only lists and searches (the queries that grow with the catalog).
     */
    private Session browse(Session session, boolean withProductPages) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        Workload.Data d = plan.data();
        int pick = r.nextInt(withProductPages ? 10 : 7);
        if (pick < 4) {
            StringBuilder url = new StringBuilder("/api/products?limit=20&page=").append(1 + r.nextInt(20));
            if (r.nextBoolean() && !d.categorySlugs().isEmpty()) {
                url.append("&category=").append(d.categorySlugs().get(r.nextInt(d.categorySlugs().size())));
            }
            if (r.nextBoolean()) {
                int min = 5 * r.nextInt(40);
                url.append("&minPrice=").append(min).append("&maxPrice=").append(min + 25 + 5 * r.nextInt(60));
            }
            url.append("&sort=").append(SORTS[r.nextInt(SORTS.length)]);
            return session.set("req", "list").set("url", url.toString());
        }
        if (pick < 7) {
            // the search service, as the storefront's search box asks it (hybrid: keyword and semantic, fused)
            String word = d.searchWords().isEmpty() ? "lamp" : d.searchWords().get(r.nextInt(d.searchWords().size()));
            StringBuilder url = new StringBuilder("/api/search?limit=20&q=")
                    .append(java.net.URLEncoder.encode(word, java.nio.charset.StandardCharsets.UTF_8));
            // catalog scale always varies the filters too: search caches no answers, only each query's vector,
            // so every request runs the index's query (after the warm-up, the words' vectors are the cache's)
            if (!withProductPages || r.nextBoolean()) {
                url.append("&minPrice=").append(5 * r.nextInt(40)).append("&page=").append(1 + r.nextInt(3));
            }
            return session.set("req", "search").set("url", url.toString());
        }
        return session.set("req", "product").set("url", "/api/products/" + d.productIds().get(r.nextInt(d.productIds().size())));
    }

    private String spreadProduct() {
        List<String> ids = plan.data().spreadProductIds();
        return ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
    }

    /** Shoppers in turn (round robin, so no two users share one at moderate rates); the flash sale uses each once. */
    private Iterator<Map<String, Object>> shoppers(boolean circular) {
        List<String> tokens = plan.data().shopperTokens();
        AtomicLong next = new AtomicLong();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return circular ? !tokens.isEmpty() : next.get() < tokens.size();
            }

            @Override
            public Map<String, Object> next() {
                Map<String, Object> row = new HashMap<>();
                row.put("token", tokens.get((int) (next.getAndIncrement() % tokens.size())));
                return row;
            }
        };
    }
}
