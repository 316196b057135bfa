package dev.storefront.catalog.pricefeeds;

import dev.storefront.common.BackgroundJob;
import dev.storefront.common.ServiceContext;

/** The catalog's price comparison: its routes and its "price-feeds" job, built from the context. */
public final class PriceFeeds {
    private final PriceFeedRepository repo;
    private final PriceFeedFetcher fetcher;
    private final BackgroundJob job;
    private final PriceFeedService service;

    private PriceFeeds(ServiceContext ctx) {
        this.repo = new PriceFeedRepository(ctx.db());
        this.fetcher = new PriceFeedFetcher(repo, PriceFeedSettings.from(ctx.config()));
        this.job = fetcher.job();
        this.service = new PriceFeedService(ctx, repo, job);
    }

    public static PriceFeeds create(ServiceContext ctx) {
        return new PriceFeeds(ctx);
    }

    public PriceFeedService service() {
        return service;
    }

    public BackgroundJob job() {
        return job;
    }

    public PriceFeedRepository repository() {
        return repo;
    }

    public PriceFeedFetcher fetcher() {
        return fetcher;
    }
}
