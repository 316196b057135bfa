package dev.storefront.inventory;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Bodies;
import dev.storefront.common.web.ErrorCode;
import dev.storefront.common.web.FieldError;
import dev.storefront.common.web.Params;
import dev.storefront.common.web.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * /internal/inventory: the checkout saga's reserve, release, commit and restock, keyed by order id; every product's
 * availability a page at a time, for search's full load.
 */
public final class InventoryInternalService implements HttpService {
    /** The largest availability page: a page is a few dozen bytes a product, so 1,000 stays well under 100 KB. */
    static final int MAX_AVAILABILITY_PAGE = 1_000;

    private final ServiceContext ctx;
    private final InventoryRepository repo;
    private final int defaultTtlSeconds;
    // Stock writes queue here rather than in the connection pool, whose wait is short: a burst of
    // shoppers after the last units waits its turn (up to 30 s) instead of failing.
    private final Semaphore writers;

    public InventoryInternalService(ServiceContext ctx, InventoryRepository repo, int defaultTtlSeconds) {
        this.ctx = ctx;
        this.repo = repo;
        this.defaultTtlSeconds = defaultTtlSeconds;
        int pool = ctx.config().get("storefront.db.pool-size").asInt().orElse(10);
        this.writers = new Semaphore(Math.max(2, pool - 2), true);
    }

    private <T> T gated(Supplier<T> write) {
        try {
            if (!writers.tryAcquire(30, TimeUnit.SECONDS)) {
                throw ApiException.unavailable("Inventory is busy; retry shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted");
        }
        try {
            return write.get();
        } finally {
            writers.release();
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/reserve", this::reserve)
                .post("/release", this::release)
                .post("/commit", this::commit)
                .post("/restock", this::restock)
                .get("/availability", this::availability);
    }

    /** GET /internal/inventory/availability?after=&limit=: [{productId, inStock, version}] in product-id order (keyset pages). */
    private void availability(ServerRequest req, ServerResponse res) {
        ctx.authz().service(req);
        UUID after = Params.query(req, "after").map(s -> Params.parseId(s)
                .orElseThrow(() -> ApiException.invalidField("after", "must be a UUID"))).orElse(null);
        int limit = Params.intParam(req, "limit", 500, 1, MAX_AVAILABILITY_PAGE);
        Responses.ok(res, repo.availabilityAfter(after, limit));
    }

    private void reserve(ServerRequest req, ServerResponse res) {
        ctx.authz().service(req);
        Requests.Reserve body = Bodies.read(req, Requests.Reserve.class);
        List<Requests.Want> wants = body.wants();
        int ttl = body.ttlSeconds() == null ? defaultTtlSeconds : body.ttlSeconds();
        InventoryRepository.Outcome outcome = gated(() -> repo.reserve(body.orderId(), wants, ttl));
        answer(res, outcome);
    }

    private void release(ServerRequest req, ServerResponse res) {
        ctx.authz().service(req);
        UUID orderId = Bodies.read(req, Requests.Order.class).validated();
        Responses.ok(res, gated(() -> repo.release(orderId)));
    }

    private void commit(ServerRequest req, ServerResponse res) {
        ctx.authz().service(req);
        UUID orderId = Bodies.read(req, Requests.Order.class).validated();
        answer(res, gated(() -> repo.commit(orderId)));
    }

    private void restock(ServerRequest req, ServerResponse res) {
        ctx.authz().service(req);
        UUID orderId = Bodies.read(req, Requests.Order.class).validated();
        Responses.ok(res, gated(() -> repo.restock(orderId)));
    }

    private static void answer(ServerResponse res, InventoryRepository.Outcome outcome) {
        if (outcome.rejected()) {
            List<FieldError> details = outcome.shortages().stream()
                    .map(s -> new FieldError("items[" + s.line() + "].productId",
                            "only " + s.available() + " available, " + s.requested() + " requested"))
                    .toList();
            throw new ApiException(ErrorCode.OUT_OF_STOCK, "Not enough stock for " + details.size() + " line(s)", details,
                    Map.of("shortages", outcome.shortages()), null);
        }
        Responses.ok(res, outcome.reservation());
    }
}
