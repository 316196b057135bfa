package dev.storefront.cart;

import java.lang.System.Logger.Level;
import java.util.UUID;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceModule;
import io.helidon.webserver.http.HttpRouting;

/** The cart service: routes, and the consumer that keeps line prices in step with the catalog. */
public final class CartModule implements ServiceModule {
    private static final System.Logger LOG = System.getLogger(CartModule.class.getName());

    private final ServiceContext ctx;
    private final CartRepository repository;
    private final CartService publicService;
    private final CartInternalService internalService;

    private CartModule(ServiceContext ctx) {
        this.ctx = ctx;
        this.repository = new CartRepository(ctx.db());
        this.publicService = new CartService(ctx, repository, new ProductLookup(ctx));
        this.internalService = new CartInternalService(ctx, repository);
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
    public void start() {
        ctx.consumer("products")
                .on("storefront.product.updated", (tx, event) -> {
                    CatalogProduct product = CatalogProduct.from(event.data());
                    if (product == null) {
                        LOG.log(Level.WARNING, "Ignoring product.updated " + event.id() + " without id, name, price and currency");
                        return;
                    }
                    repository.applyProductUpdate(tx, product);
                })
                .on("storefront.product.deleted", (tx, event) -> {
                    try {
                        repository.applyProductDeleted(tx, UUID.fromString(event.data().path("id").asText()));
                    } catch (IllegalArgumentException e) {
                        LOG.log(Level.WARNING, "Ignoring product.deleted " + event.id() + " without a product id");
                    }
                });
    }
}
