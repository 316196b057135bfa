package dev.storefront.inventory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.security.Principal;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Bodies;
import dev.storefront.common.web.Page;
import dev.storefront.common.web.Params;
import dev.storefront.common.web.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** /api/inventory: the public stock view, and the admin's stock-keeping. */
public final class InventoryService implements HttpService {
    private final ServiceContext ctx;
    private final InventoryRepository repo;

    public InventoryService(ServiceContext ctx, InventoryRepository repo) {
        this.ctx = ctx;
        this.repo = repo;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/add", this::add)
                .get("/status/low-stock", this::lowStock)
                .get("/{productId}", this::get);
    }

    /** Anyone: quantity and flags; an admin also sees reserved, sold and the threshold. */
    private void get(ServerRequest req, ServerResponse res) {
        UUID productId = Params.pathId(req, "productId", "Stock");
        boolean admin = ctx.authz().optionalUser(req).map(Principal::isAdmin).orElse(false);
        Stock stock = repo.stock(productId).orElseThrow(() -> ApiException.notFound("Stock"));
        if (!admin) {
            Responses.ok(res, stock.publicView());
            return;
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("productId", stock.productId());
        view.put("quantity", stock.available());
        view.put("isLowStock", stock.isLowStock());
        view.put("inStock", stock.available() > 0);
        view.put("available", stock.available());
        view.put("reserved", stock.reserved());
        view.put("sold", stock.sold());
        view.put("lowStockThreshold", stock.lowStockThreshold());
        Responses.ok(res, view);
    }

    private void add(ServerRequest req, ServerResponse res) {
        ctx.authz().admin(req);
        Requests.Add body = Bodies.read(req, Requests.Add.class);
        body.validate();
        Responses.ok(res, repo.add(body.productId(), body.quantity(), body.lowStockThreshold()));
    }

    private void lowStock(ServerRequest req, ServerResponse res) {
        ctx.authz().admin(req);
        Page page = Page.from(req);
        Responses.page(res, repo.lowStock(page), page, repo.lowStockCount());
    }
}
