package dev.storefront.cart;

import java.util.List;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceModule;
import dev.storefront.common.events.EventHandler;
import io.helidon.webserver.http.HttpRouting;

/** The cart service: routes, and the consumer that keeps line prices in step with the catalog. */
public final class CartModule implements ServiceModule {
    private final ServiceContext ctx;
    private final CartRepository repository;
    private final CartService publicService;
    private final CartInternalService internalService;
    private final List<EventHandler> handlers;

    private CartModule(ServiceContext ctx) {
        this.ctx = ctx;
        this.repository = new CartRepository(ctx.db(), ctx.outbox());
        this.publicService = new CartService(ctx, repository, new ProductLookup(ctx));
        this.internalService = new CartInternalService(ctx, repository);
        this.handlers = List.of(new ProductUpdatedHandler(repository), new ProductDeletedHandler(repository));
    }

    public static CartModule create(ServiceContext ctx) {
        return new CartModule(ctx);
    }

    @Override
    public String name() {
        return "cart";
    }

    @Override
    public ServiceContext context() {
        return ctx;
    }

    public CartRepository repository() {
        return repository;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/api/cart", publicService)
                .register("/internal/cart", internalService);
    }

    /** The cart publishes no events, so it runs no relay; it only follows product changes. */
    @Override
    public List<EventHandler> eventHandlers() {
        return handlers;
    }
}
