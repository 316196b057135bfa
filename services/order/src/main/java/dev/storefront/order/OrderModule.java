package dev.storefront.order;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceModule;
import io.helidon.webserver.http.HttpRouting;

/** The order service: orders, their status machine, and the events of every change (relay started by start()). */
public final class OrderModule implements ServiceModule {
    private final ServiceContext ctx;
    private final OrderRepository repository;
    private final OrderService publicService;
    private final OrderInternalService internalService;

    private OrderModule(ServiceContext ctx) {
        this.ctx = ctx;
        this.repository = new OrderRepository(ctx.db(), ctx.outbox());
        this.publicService = new OrderService(ctx, repository);
        this.internalService = new OrderInternalService(ctx, repository);
    }

    public static OrderModule create(ServiceContext ctx) {
        return new OrderModule(ctx);
    }

    @Override
    public String name() {
        return "order";
    }

    @Override
    public ServiceContext context() {
        return ctx;
    }

    public OrderRepository repository() {
        return repository;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/api/orders", publicService)
                .register("/internal/orders", internalService);
    }
}
