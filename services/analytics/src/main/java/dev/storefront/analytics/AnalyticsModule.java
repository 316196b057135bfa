package dev.storefront.analytics;

import java.time.Clock;
import java.util.List;

import dev.storefront.common.BackgroundJob;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceModule;
import dev.storefront.common.events.EventHandler;
import io.helidon.webserver.http.HttpRouting;

/**
 * The analytics service: events in from the bus (catalog's views and searches, cart's adds, order's
 * and payment's sales) and from clients, each counted once into hourly and daily rollups; the owner's
 * questions under /api/analytics. Settings: {@link AnalyticsSettings}.
 */
public final class AnalyticsModule implements ServiceModule {
    private final ServiceContext ctx;
    private final EventPartitions partitions;
    private final AnalyticsRepository repo;
    private final AnalyticsService service;
    private final List<EventHandler> handlers;
    private final BackgroundJob partitionJob;

    private AnalyticsModule(ServiceContext ctx, Clock clock) {
        this.ctx = ctx;
        AnalyticsSettings settings = AnalyticsSettings.from(ctx.config());
        this.partitions = new EventPartitions(ctx.db(), settings, clock);
        this.repo = new AnalyticsRepository(ctx.db(), settings, partitions);
        this.service = new AnalyticsService(ctx, repo, settings);
        this.handlers = List.of(new ProductChangedHandler(repo), new ProductActivityHandler(repo),
                new CartItemAddedHandler(repo), new OrderEventsHandler(repo));
        this.partitionJob = partitions.job(() -> repo.windows().rollAll(java.time.LocalDateTime.now(clock.withZone(settings.zone()))));
        partitions.maintain(); // today's and the days ahead exist before the first event
    }

    public static AnalyticsModule create(ServiceContext ctx) {
        return new AnalyticsModule(ctx, Clock.systemUTC());
    }

    @Override
    public String name() {
        return "analytics";
    }

    @Override
    public ServiceContext context() {
        return ctx;
    }

    EventPartitions partitions() {
        return partitions;
    }

    AnalyticsRepository repository() {
        return repo;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/api/analytics", service);
    }

    @Override
    public List<EventHandler> eventHandlers() {
        return handlers;
    }

    @Override
    public List<BackgroundJob> jobs() {
        return List.of(partitionJob);
    }
}
