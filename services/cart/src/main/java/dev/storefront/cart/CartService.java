package dev.storefront.cart;

import java.math.BigDecimal;
import java.util.UUID;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.security.Principal;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Bodies;
import dev.storefront.common.web.Params;
import dev.storefront.common.web.RequestContext;
import dev.storefront.common.web.Responses;
import dev.storefront.common.web.Validator;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** /api/cart: the caller's own cart. There is no way to name another user's cart. */
public final class CartService implements HttpService {
    /** Body of POST /api/cart/add. No price: prices come from catalog only. */
    public record AddItem(UUID productId, BigDecimal quantity) {
    }

    /** Body of PUT /api/cart/items/{productId}. */
    public record SetQuantity(BigDecimal quantity) {
    }

    private final ServiceContext ctx;
    private final CartRepository repository;
    private final ProductLookup products;

    public CartService(ServiceContext ctx, CartRepository repository, ProductLookup products) {
        this.ctx = ctx;
        this.repository = repository;
        this.products = products;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::view)
                .delete("/", this::clear)
                .post("/add", this::add)
                .put("/items/{productId}", this::setQuantity)
                .delete("/items/{productId}", this::remove);
    }

    private void view(ServerRequest req, ServerResponse res) {
        Principal p = ctx.authz().user(req);
        Responses.ok(res, repository.view(p.userId(), true));
    }

    private void add(ServerRequest req, ServerResponse res) {
        Principal p = ctx.authz().user(req);
        AddItem body = Bodies.read(req, AddItem.class);
        Validator v = new Validator().required("productId", body.productId());
        int quantity = quantity(v, body.quantity());
        v.throwIfInvalid();
        // the two lookups go to different services: ask both at once
        var available = RequestContext.inParallel(() -> products.available(body.productId()));
        CatalogProduct product = products.product(body.productId()).orElseThrow(() -> ApiException.notFound("Product"));
        Responses.ok(res, repository.add(p.userId(), product, quantity, RequestContext.await(available)));
    }

    private void setQuantity(ServerRequest req, ServerResponse res) {
        Principal p = ctx.authz().user(req);
        UUID productId = Params.pathId(req, "productId", "Cart item");
        SetQuantity body = Bodies.read(req, SetQuantity.class);
        Validator v = new Validator();
        int quantity = quantity(v, body.quantity());
        v.throwIfInvalid();
        Cart cart = repository.setQuantity(p.userId(), productId, quantity, products.available(productId))
                .orElseThrow(() -> ApiException.notFound("Cart item"));
        Responses.ok(res, cart);
    }

    private void remove(ServerRequest req, ServerResponse res) {
        Principal p = ctx.authz().user(req);
        UUID productId = Params.pathId(req, "productId", "Cart item");
        Responses.ok(res, repository.remove(p.userId(), productId).orElseThrow(() -> ApiException.notFound("Cart item")));
    }

    private void clear(ServerRequest req, ServerResponse res) {
        Principal p = ctx.authz().user(req);
        repository.clear(p.userId());
        Responses.ok(res, repository.view(p.userId(), false));
    }

    /** A whole number 1..99; anything else is named in the 400. */
    static int quantity(Validator v, BigDecimal quantity) {
        if (quantity == null) {
            v.required("quantity", null);
            return 0;
        }
        boolean whole = quantity.signum() == 0 || quantity.stripTrailingZeros().scale() <= 0;
        if (!whole || quantity.compareTo(BigDecimal.ONE) < 0 || quantity.compareTo(BigDecimal.valueOf(CartRepository.MAX_QUANTITY)) > 0) {
            v.add("quantity", "must be a whole number between 1 and " + CartRepository.MAX_QUANTITY);
            return 0;
        }
        return quantity.intValueExact();
    }
}
