package dev.storefront.inventory;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.storefront.common.BackgroundJob;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceModule;
import dev.storefront.common.events.EventHandler;
import io.helidon.webserver.http.HttpRouting;

/**
 * The inventory service: stock per product under /api/inventory, reservations under
 * /internal/inventory, a job that gives back expired reservations, and consumers of the catalog's
 * product events. Config: {@code storefront.inventory.reservation-ttl-seconds} (900),
 * {@code storefront.inventory.expiry-interval-ms} (5000).
 */
public final class InventoryModule implements ServiceModule {
    private final ServiceContext ctx;
    private final InventoryRepository repo;
    private final InventoryService service;
    private final InventoryInternalService internal;
    private final List<EventHandler> handlers;
    private final BackgroundJob expiry;
    private volatile boolean demoStock;

    private InventoryModule(ServiceContext ctx) {
        this.ctx = ctx;
        this.repo = new InventoryRepository(ctx.db(), ctx.outbox());
        this.service = new InventoryService(ctx, repo);
        this.internal = new InventoryInternalService(ctx, repo,
                ctx.config().get("storefront.inventory.reservation-ttl-seconds").asInt().orElse(900));
        this.demoStock = ctx.demoData();
        this.handlers = List.of(
                new ProductCreatedHandler(repo, id -> demoStock ? demoQuantity(id) : 0),
                new ProductDeletedHandler(repo),
                new OrderCancelledHandler(repo));
        // a full batch of 100: more may be waiting, so the next round follows at once
        this.expiry = BackgroundJob.builder("reservation-expiry", () -> repo.releaseExpired(100) == 100)
                .every(Duration.ofMillis(ctx.config().get("storefront.inventory.expiry-interval-ms").asLong().orElse(5_000L)))
                .build();
    }

    public static InventoryModule create(ServiceContext ctx) {
        return new InventoryModule(ctx);
    }

    @Override
    public String name() {
        return "inventory";
    }

    @Override
    public ServiceContext context() {
        return ctx;
    }

    public InventoryRepository repository() {
        return repo;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/api/inventory", service)
                .register("/internal/inventory", internal);
    }

    @Override
    public List<EventHandler> eventHandlers() {
        return handlers;
    }

    @Override
    public List<BackgroundJob> jobs() {
        return List.of(expiry);
    }

    /**
     * Demo runs: products the catalog creates arrive with some stock (a few of them low) instead of
     * none, so the demo shop can sell at once. Stock arrives with the catalog's product events.
     */
    @Override
    public void seedDemoData() {
        demoStock = true;
    }

    /** Between 0 and 119 units, fixed per product: about one product in twelve starts low. */
    static int demoQuantity(UUID productId) {
        int n = Math.floorMod(productId.hashCode(), 120);
        return n < 10 ? n : 20 + n;
    }
}
