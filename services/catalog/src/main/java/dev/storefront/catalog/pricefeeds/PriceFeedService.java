package dev.storefront.catalog.pricefeeds;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.common.BackgroundJob;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.security.Principal;
import dev.storefront.common.security.Role;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Bodies;
import dev.storefront.common.web.Params;
import dev.storefront.common.web.Responses;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Price comparison routes, mounted under /api/products (ahead of the product routes):
 * the admin's feeds under /api/products/price-feeds, and {@code GET /api/products/{id}/prices} for
 * an admin or the product's vendor. Shoppers are not shown competitors' prices: they are the shop's
 * business data (and feeds' terms rarely allow republishing them); products are public, so another
 * vendor or a shopper hears 403, as on the product write routes.
 */
public final class PriceFeedService implements HttpService {
    private final ServiceContext ctx;
    private final PriceFeedRepository repo;
    private final BackgroundJob job;

    public PriceFeedService(ServiceContext ctx, PriceFeedRepository repo, BackgroundJob job) {
        this.ctx = ctx;
        this.repo = repo;
        this.job = job;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/price-feeds", this::list)
                .post("/price-feeds", this::create)
                .get("/price-feeds/{feedId}", this::get)
                .put("/price-feeds/{feedId}", this::update)
                .delete("/price-feeds/{feedId}", this::delete)
                .post("/price-feeds/{feedId}/fetch", this::fetchNow)
                .get("/{id}/prices", this::prices);
    }

    /** The seed's {@code GET /ai/prices/{product_id}}: the same answer and the same callers as {@code GET /api/products/{id}/prices}. */
    public void seedAlias(HttpRouting.Builder routing) {
        routing.get("/ai/prices/{id}", this::prices);
    }

    private void list(ServerRequest req, ServerResponse res) {
        ctx.authz().admin(req);
        noStore(res);
        Responses.ok(res, repo.feeds());
    }

    private void get(ServerRequest req, ServerResponse res) {
        ctx.authz().admin(req);
        UUID id = Params.pathId(req, "feedId", "Price feed");
        noStore(res);
        Responses.ok(res, repo.feed(id).orElseThrow(() -> ApiException.notFound("Price feed")));
    }

    private void create(ServerRequest req, ServerResponse res) {
        ctx.authz().admin(req);
        PriceFeedBody body = Bodies.read(req, PriceFeedBody.class);
        body.validate();
        PriceFeed feed = repo.create(UUID.randomUUID(), body);
        job.wake();
        Responses.created(res, feed);
    }

    private void update(ServerRequest req, ServerResponse res) {
        ctx.authz().admin(req);
        UUID id = Params.pathId(req, "feedId", "Price feed");
        PriceFeedBody body = Bodies.read(req, PriceFeedBody.class);
        PriceFeed current = repo.feed(id).orElseThrow(() -> ApiException.notFound("Price feed"));
        PriceFeedBody merged = body.over(current);
        merged.validate();
        PriceFeed feed = repo.update(id, merged).orElseThrow(() -> ApiException.notFound("Price feed"));
        job.wake();
        Responses.ok(res, feed);
    }

    private void delete(ServerRequest req, ServerResponse res) {
        ctx.authz().admin(req);
        UUID id = Params.pathId(req, "feedId", "Price feed");
        if (!repo.delete(id)) {
            throw ApiException.notFound("Price feed");
        }
        Responses.ok(res, Map.of("id", id, "deleted", true));
    }

    /** Makes an enabled feed due now and wakes this replica's job: 202, the fetch happens in the background. */
    private void fetchNow(ServerRequest req, ServerResponse res) {
        ctx.authz().admin(req);
        UUID id = Params.pathId(req, "feedId", "Price feed");
        PriceFeed feed = repo.feed(id).orElseThrow(() -> ApiException.notFound("Price feed"));
        if (!feed.enabled()) {
            throw ApiException.conflict("The price feed is disabled; enable it to fetch it");
        }
        repo.markDue(id);
        job.wake();
        Responses.status(res, 202, Map.of("id", id, "queued", true));
    }

    private void prices(ServerRequest req, ServerResponse res) {
        Principal caller = ctx.authz().role(req, Role.ADMIN, Role.VENDOR);
        UUID id = Params.pathId(req, "id", "Product");
        PriceFeedRepository.OurPrice ours = repo.ourPrice(id).orElseThrow(() -> ApiException.notFound("Product"));
        if (!caller.isAdmin() && !ours.vendorId().equals(caller.userId())) {
            throw ApiException.forbidden("A vendor sees the price comparison of their own products only");
        }
        Instant now = Instant.now();
        List<Map<String, Object>> sources = repo.sourcePrices(id).stream().map(s -> source(s, ours, now)).toList();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("productId", ours.productId());
        answer.put("name", ours.name());
        answer.put("sku", ours.sku());
        answer.put("gtin", ours.gtin());
        answer.put("ours", Map.of("price", ours.price(), "currency", ours.currency()));
        answer.put("sources", sources);
        noStore(res);
        Responses.ok(res, answer);
    }

    /** One source's price beside ours: its age, and the difference when the currencies are the same. */
    private static Map<String, Object> source(PriceFeedRepository.SourcePrice s, PriceFeedRepository.OurPrice ours, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("feedId", s.feedId());
        m.put("source", s.feed());
        m.put("price", s.price());
        m.put("currency", s.currency());
        m.put("fetchedAt", s.fetchedAt());
        m.put("ageSeconds", Math.max(0, Duration.between(s.fetchedAt(), now).toSeconds()));
        boolean comparable = s.currency().equals(ours.currency());
        BigDecimal difference = comparable ? s.price().subtract(ours.price()) : null;
        m.put("difference", difference);
        m.put("differencePercent", difference == null || ours.price().signum() == 0 ? null
                : difference.multiply(BigDecimal.valueOf(100)).divide(ours.price(), 1, RoundingMode.HALF_EVEN));
        m.put("lastFetchFailed", "FAILED".equals(s.feedOutcome()));
        return m;
    }

    /** Feeds and comparisons are per-caller business data: no shared cache may keep them. */
    private static void noStore(ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
    }
}
