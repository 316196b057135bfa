package dev.storefront.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.storefront.catalog.images.ImageCleanup;
import dev.storefront.catalog.images.ImageGallery;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.security.Principal;
import dev.storefront.common.security.Role;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Bodies;
import dev.storefront.common.web.Json;
import dev.storefront.common.web.Params;
import dev.storefront.common.web.Responses;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The public catalog routes: products under /api/products ({@link #productRoutes}) and
 * categories under /api/categories ({@link #categoryRoutes}). Reads are served from the
 * {@link ResponseCache} with weak ETags; writes check the caller, change the row and append the
 * product event in one transaction, then drop the cached answers they made stale.
 */
public final class CatalogService {
    private static final io.helidon.http.HeaderName SESSION_HEADER = HeaderNames.create("X-Session-Id");
    private final ServiceContext ctx;
    private final CatalogRepository repo;
    private final ResponseCache cache;
    private final ActivityEvents activity;
    private final String cacheControl;
    private final ImageGallery gallery;

    public CatalogService(ServiceContext ctx, CatalogRepository repo, ResponseCache cache, ActivityEvents activity, ImageGallery gallery) {
        this.ctx = ctx;
        this.gallery = gallery;
        this.activity = activity;
        this.repo = repo;
        this.cache = cache;
        int maxAge = ctx.config().get("storefront.catalog.cache.max-age-seconds").asInt().orElse(10);
        this.cacheControl = "public, max-age=" + maxAge;
    }

    public void productRoutes(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::create)
                .get("/{id}", this::get)
                .put("/{id}", this::update)
                .delete("/{id}", this::delete);
    }

    public void categoryRoutes(HttpRules rules) {
        rules.get("/", this::categories)
                .post("/", this::createCategory);
    }

    private void list(ServerRequest req, ServerResponse res) {
        ProductQuery query = ProductQuery.from(req);
        ResponseCache.Entry entry = cache.get(ResponseCache.listKey(query), () -> {
            long version = repo.version(); // read before the page: the tag never claims newer content than it has
            CatalogRepository.PageResult page = repo.search(query);
            Map<String, Object> body = Responses.success(page.items());
            Map<String, Object> pagination = new LinkedHashMap<>();
            pagination.put("page", query.page().page());
            pagination.put("limit", query.page().limit());
            pagination.put("total", page.total());
            body.put("pagination", pagination);
            String tag = "W/\"c" + version + "-" + Integer.toHexString(query.cacheKey().hashCode()) + "\"";
            return new ResponseCache.Entry(Json.writeBytes(body), tag, System.currentTimeMillis(), page.total());
        });
        if (query.q() != null && query.page().page() == 1) {
            activity.searched(query.q(), entry.total(), session(req));
        }
        sendCached(req, res, entry);
    }

    private void get(ServerRequest req, ServerResponse res) {
        UUID id = Params.pathId(req, "id", "Product");
        ResponseCache.Entry entry = cache.get(ResponseCache.productKey(id), () -> repo.product(id)
                .map(p -> new ResponseCache.Entry(Json.writeBytes(Responses.success(p)),
                        "W/\"p" + p.version() + "-" + p.updatedAt().toEpochMilli() + "\"", System.currentTimeMillis()))
                .orElse(null));
        if (entry == null) {
            throw ApiException.notFound("Product");
        }
        activity.viewed(id, session(req));
        sendCached(req, res, entry);
    }

    private void create(ServerRequest req, ServerResponse res) {
        Principal caller = ctx.authz().role(req, Role.ADMIN, Role.VENDOR);
        ProductBody body = Bodies.read(req, ProductBody.class);
        body.validate(true);
        UUID vendorId = vendorFor(caller, body);
        Product product = ctx.db().inTransaction(tx -> {
            Product created = repo.create(tx, UUID.randomUUID(), vendorId == null ? caller.userId() : vendorId, body);
            repo.bumpVersion(tx);
            ctx.outbox().append(tx, "storefront.product.created", created);
            return created;
        });
        cache.productChanged(product.id());
        Responses.created(res, product);
    }

    private void update(ServerRequest req, ServerResponse res) {
        Principal caller = ctx.authz().role(req, Role.ADMIN, Role.VENDOR);
        UUID id = Params.pathId(req, "id", "Product");
        ProductBody body = Bodies.read(req, ProductBody.class);
        body.validate(false);
        vendorFor(caller, body);
        UUID ownerOnly = caller.isAdmin() ? null : caller.userId();
        Optional<Product> updated = ctx.db().inTransaction(tx -> {
            Optional<Product> changed = repo.update(tx, id, ownerOnly, body);
            changed.ifPresent(p -> {
                repo.bumpVersion(tx);
                ctx.outbox().append(tx, "storefront.product.updated", p);
            });
            return changed;
        });
        Product product = updated.orElseThrow(() -> notOwnedOrMissing(id));
        cache.productChanged(id);
        Responses.ok(res, product);
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Principal caller = ctx.authz().role(req, Role.ADMIN, Role.VENDOR);
        UUID id = Params.pathId(req, "id", "Product");
        UUID ownerOnly = caller.isAdmin() ? null : caller.userId();
        // the image objects are recorded for deletion in the same transaction, deleted once it commits
        List<ImageCleanup.Pending> orphaned = ctx.db().inTransaction(tx -> {
            List<ImageCleanup.Pending> images = gallery.orphanWithProduct(tx, id, ownerOnly);
            if (!repo.delete(tx, id, ownerOnly)) {
                return null;
            }
            repo.bumpVersion(tx);
            ctx.outbox().append(tx, "storefront.product.deleted", Map.of("id", id));
            return images;
        });
        if (orphaned == null) {
            throw notOwnedOrMissing(id);
        }
        cache.productChanged(id);
        gallery.cleanup().deleteNow(orphaned);
        Responses.ok(res, Map.of("id", id, "deleted", true));
    }

    private void categories(ServerRequest req, ServerResponse res) {
        List<Category> categories = repo.categories();
        res.header(HeaderNames.CACHE_CONTROL, cacheControl);
        Responses.ok(res, categories);
    }

    private void createCategory(ServerRequest req, ServerResponse res) {
        ctx.authz().admin(req);
        CategoryBody body = Bodies.read(req, CategoryBody.class);
        body.validate();
        Category category = ctx.db().inTransaction(tx -> repo.createCategory(tx, UUID.randomUUID(), body));
        Responses.created(res, category);
    }

    /** Only an admin names another vendor; a vendor may name only themselves. */
    private static UUID vendorFor(Principal caller, ProductBody body) {
        if (body.vendorId() != null && !caller.isAdmin() && !body.vendorId().equals(caller.userId())) {
            throw ApiException.forbidden("A vendor manages their own products only");
        }
        return body.vendorId();
    }

    /** Products are public, so a vendor touching another's product hears 403, not 404. */
    private ApiException notOwnedOrMissing(UUID id) {
        return repo.vendorOf(id).isPresent()
                ? ApiException.forbidden("A vendor manages their own products only")
                : ApiException.notFound("Product");
    }

    /** The client's anonymous analytics session (the web UI sends it), checked by ActivityEvents. */
    private static String session(ServerRequest req) {
        return req.headers().first(SESSION_HEADER).orElse(null);
    }

    private void sendCached(ServerRequest req, ServerResponse res, ResponseCache.Entry entry) {
        res.header(HeaderNames.ETAG, entry.etag());
        res.header(HeaderNames.CACHE_CONTROL, cacheControl);
        if (notModified(req, entry.etag())) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, Responses.JSON);
        res.send(entry.body());
    }

    /** If-None-Match uses the weak comparison: W/"x" and "x" match. */
    static boolean notModified(ServerRequest req, String etag) {
        if (!req.headers().contains(HeaderNames.IF_NONE_MATCH)) {
            return false;
        }
        String ours = opaque(etag);
        for (String value : req.headers().get(HeaderNames.IF_NONE_MATCH).allValues()) {
            for (String tag : value.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || opaque(t).equals(ours)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
