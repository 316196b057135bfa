package dev.storefront.catalog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Params;
import dev.storefront.common.web.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** /internal/catalog: product look-ups for cart and checkout, every product for search (service tokens only). */
public final class CatalogInternalService implements HttpService {
    static final int MAX_IDS = 200;

    private final ServiceContext ctx;
    private final CatalogRepository repo;

    public CatalogInternalService(ServiceContext ctx, CatalogRepository repo) {
        this.ctx = ctx;
        this.repo = repo;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/products", this::products)
                .get("/products/all", this::allProducts);
    }

    /** GET /internal/catalog/products?ids=a,b: the products that exist, missing ids left out. */
    private void products(ServerRequest req, ServerResponse res) {
        ctx.authz().service(req);
        String raw = Params.query(req, "ids").orElseThrow(() -> ApiException.invalidField("ids", "is required"));
        Set<UUID> ids = new LinkedHashSet<>();
        for (String part : raw.split(",")) {
            String s = part.trim();
            if (!s.isEmpty()) {
                ids.add(Params.parseId(s).orElseThrow(() -> ApiException.invalidField("ids", "must be comma-separated UUIDs")));
            }
        }
        if (ids.isEmpty() || ids.size() > MAX_IDS) {
            throw ApiException.invalidField("ids", "must name between 1 and " + MAX_IDS + " products");
        }
        Responses.ok(res, repo.products(new ArrayList<>(ids)));
    }

    /** GET /internal/catalog/products/all?after=&limit=: every product in id order, a page at a time (keyset, cheap at any depth). */
    private void allProducts(ServerRequest req, ServerResponse res) {
        ctx.authz().service(req);
        UUID after = Params.query(req, "after").map(s -> Params.parseId(s)
                .orElseThrow(() -> ApiException.invalidField("after", "must be a UUID"))).orElse(null);
        int limit = Params.intParam(req, "limit", 500, 1, 1000);
        Responses.ok(res, repo.productsAfter(after, limit));
    }
}
