package dev.storefront.catalog;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import dev.storefront.catalog.pricefeeds.PriceFeeds;
import dev.storefront.catalog.images.ImageCleanup;
import dev.storefront.catalog.images.ImageGallery;
import dev.storefront.catalog.images.ImageRepository;
import dev.storefront.catalog.images.ImageService;
import dev.storefront.catalog.images.ImageSettings;
import dev.storefront.catalog.images.ObjectStorage;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceModule;
import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.web.Json;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.nats.client.Dispatcher;

/**
 * The catalog service: products and the category tree under /api/products and /api/categories,
 * product look-ups under /internal/catalog. Config: {@code storefront.catalog.cache.max-entries}
 * (2000), {@code .ttl-seconds} (300), {@code .max-age-seconds} (10, the Cache-Control max-age); product
 * images under {@code storefront.catalog.images.*} ({@link ImageSettings}).
 */
public final class CatalogModule implements ServiceModule {
    private static final System.Logger LOG = System.getLogger(CatalogModule.class.getName());

    private final ServiceContext ctx;
    private final CatalogRepository repo;
    private final ResponseCache cache;
    private final ActivityEvents activity;
    private final CatalogService service;
    private final CatalogInternalService internal;
    private final PriceFeeds priceFeeds;
    private final ImageGallery gallery;
    private final ImageService images;
    private final ImageCleanup imageCleanup;
    private final dev.storefront.common.BackgroundJob imageCleanupJob;
    private Dispatcher invalidations;

    private CatalogModule(ServiceContext ctx) {
        this.ctx = ctx;
        this.repo = new CatalogRepository(ctx.db());
        this.cache = new ResponseCache(ctx.config().get("storefront.catalog.cache.max-entries").asInt().orElse(2000),
                ctx.config().get("storefront.catalog.cache.ttl-seconds").asLong().orElse(300L) * 1000);
        this.activity = new ActivityEvents(ctx);
        this.internal = new CatalogInternalService(ctx, repo);
        this.priceFeeds = PriceFeeds.create(ctx);
        ImageSettings imageSettings = ImageSettings.from(ctx.config());
        ObjectStorage storage = imageSettings.storageConfigured() ? new ObjectStorage(imageSettings) : null;
        if (storage != null) {
            ctx.onClose(storage::close);
        }
        this.imageCleanup = new ImageCleanup(ctx.db(), storage, imageSettings.cleanupEvery());
        this.imageCleanupJob = imageCleanup.job();
        this.gallery = new ImageGallery(ctx, repo, new ImageRepository(ctx.db()), storage, imageSettings, imageCleanup,
                cache::productChanged);
        this.images = new ImageService(ctx, repo, gallery);
        this.service = new CatalogService(ctx, repo, cache, activity, gallery);
    }

    public static CatalogModule create(ServiceContext ctx) {
        return new CatalogModule(ctx);
    }

    @Override
    public String name() {
        return "catalog";
    }

    @Override
    public ServiceContext context() {
        return ctx;
    }

    public CatalogRepository repository() {
        return repo;
    }

    /** Product images: upload, variants, object storage. */
    public ImageGallery gallery() {
        return gallery;
    }

    public ResponseCache cache() {
        return cache;
    }

    public PriceFeeds priceFeeds() {
        return priceFeeds;
    }

    /** Views and searches dropped because the analytics buffer was full (or the database away). */
    public long droppedActivity() {
        return activity.dropped();
    }

    @Override
    public java.util.List<dev.storefront.common.BackgroundJob> jobs() {
        return java.util.List.of(activity.job(), priceFeeds.job(), imageCleanupJob);
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        // price comparison first: its /price-feeds must not be taken for a product id
        routing.register("/api/products", priceFeeds.service())
                .register("/api/products", images)
                .register("/api/products", (HttpService) service::productRoutes)
                .register("/api/categories", (HttpService) service::categoryRoutes)
                .register("/internal/catalog", internal);
        priceFeeds.service().seedAlias(routing);
    }

    /** The kit's start (relay), then the cache's invalidation subscription. */
    @Override
    public synchronized void start() {
        ServiceModule.super.start();
        if (invalidations == null) {
            // A plain (not durable) subscription: every replica hears every product event and drops
            // its own cached answers; one missed while disconnected ages out with the cache TTL.
            invalidations = ctx.bus().connection().createDispatcher(msg -> {
                try {
                    CloudEvent event = Json.read(new String(msg.getData(), StandardCharsets.UTF_8), CloudEvent.class);
                    String id = event.data() == null ? "" : event.data().path("id").asText("");
                    cache.productChanged(id.isEmpty() ? null : UUID.fromString(id));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Unreadable product event on " + msg.getSubject() + "; clearing the cache");
                    cache.clear();
                }
            });
            invalidations.subscribe(ctx.bus().subjectFor("storefront.product") + ".*");
            ctx.onClose(() -> ctx.bus().connection().closeDispatcher(invalidations));
        }
    }

    /**
     * Loads the demo catalog when there are no products yet (fixed ids: a second run adds nothing), then
     * draws a picture for every demo product without an uploaded image, through the upload path.
     */
    @Override
    public void seedDemoData() {
        if (repo.productCount() == 0) {
            int added = CatalogDemoData.seed(ctx, repo);
            cache.clear();
            LOG.log(Level.INFO, "Seeded the demo catalog: " + added + " products");
        }
        long started = System.nanoTime();
        int drawn = gallery.drawMissing(CatalogDemoData.DEMO_VENDOR_ID);
        if (drawn > 0) {
            LOG.log(Level.INFO, "Drew and stored " + drawn + " demo product images in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        }
    }
}
