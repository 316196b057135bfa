package dev.storefront.inventory;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.UUID;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceModule;
import io.helidon.webserver.http.HttpRouting;

/**
 * The inventory service: stock per product under /api/inventory, reservations under
 * /internal/inventory, a job that gives back expired reservations, and consumers of the catalog's
 * product events. Config: {@code storefront.inventory.reservation-ttl-seconds} (900),
 * {@code storefront.inventory.expiry-interval-ms} (5000).
 */
public final class InventoryModule implements ServiceModule {
    private static final System.Logger LOG = System.getLogger(InventoryModule.class.getName());

    private final ServiceContext ctx;
    private final InventoryRepository repo;
    private final InventoryService service;
    private final InventoryInternalService internal;
    private final Duration expiryInterval;
    private volatile boolean demoStock;
    private volatile boolean running;
    private Thread expiryJob;

    private InventoryModule(ServiceContext ctx) {
        this.ctx = ctx;
        this.repo = new InventoryRepository(ctx.db(), ctx.outbox());
        this.service = new InventoryService(ctx, repo);
        this.internal = new InventoryInternalService(ctx, repo,
                ctx.config().get("storefront.inventory.reservation-ttl-seconds").asInt().orElse(900));
        this.expiryInterval = Duration.ofMillis(ctx.config().get("storefront.inventory.expiry-interval-ms").asLong().orElse(5_000L));
        this.demoStock = ctx.demoData();
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
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        ctx.relay().start();
        ctx.consumer("products")
                .on("storefront.product.created", (tx, event) -> {
                    UUID id = UUID.fromString(event.data().path("id").asText());
                    repo.productCreated(tx, id, demoStock ? demoQuantity(id) : 0);
                })
                .on("storefront.product.deleted", (tx, event) ->
                        repo.productDeleted(tx, UUID.fromString(event.data().path("id").asText())));
        // a cancelled order's stock comes back: restock is idempotent by the reservation's state,
        // so running it in its own transaction is safe when the event is redelivered
        ctx.consumer("orders").on("storefront.order.cancelled", (tx, event) ->
                repo.restock(UUID.fromString(event.data().path("id").asText())));
        expiryJob = Thread.ofVirtual().name("inventory-expiry").start(this::expireLoop);
        ctx.onClose(this::stopJob);
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

    private void expireLoop() {
        while (running) {
            try {
                while (running && repo.releaseExpired(100) == 100) {
                    // a full batch: more may be waiting
                }
                Thread.sleep(expiryInterval);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Releasing expired reservations failed: " + e.getMessage());
                try {
                    Thread.sleep(expiryInterval);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void stopJob() {
        running = false;
        if (expiryJob != null) {
            expiryJob.interrupt();
        }
    }
}
