package dev.storefront.cart;

import java.util.UUID;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.web.Params;
import dev.storefront.common.web.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** /internal/cart: checkout reads a user's cart and clears it once the order is confirmed. */
public final class CartInternalService implements HttpService {
    private final ServiceContext ctx;
    private final CartRepository repository;

    public CartInternalService(ServiceContext ctx, CartRepository repository) {
        this.ctx = ctx;
        this.repository = repository;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{userId}", this::read)
                .delete("/{userId}", this::clear);
    }

    private void read(ServerRequest req, ServerResponse res) {
        ctx.authz().service(req);
        UUID userId = Params.pathId(req, "userId", "Cart");
        // reading for checkout does not acknowledge price changes: the shopper has not seen them
        Responses.ok(res, repository.view(userId, false));
    }

    private void clear(ServerRequest req, ServerResponse res) {
        ctx.authz().service(req);
        UUID userId = Params.pathId(req, "userId", "Cart");
        repository.clear(userId);
        Responses.noContent(res);
    }
}
