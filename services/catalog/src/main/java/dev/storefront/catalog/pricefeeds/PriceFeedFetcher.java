package dev.storefront.catalog.pricefeeds;

import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.UUID;

import dev.storefront.common.BackgroundJob;

/**
 * The fetching side: claims a due feed (so no other replica fetches it too), downloads and parses it
 * outside any transaction (no pooled connection waits on the network), then stores its prices and
 * status in one transaction. A failure of any kind records the error and keeps the earlier prices.
 */
public final class PriceFeedFetcher {
    private static final System.Logger LOG = System.getLogger(PriceFeedFetcher.class.getName());

    private final PriceFeedRepository repo;
    private final PriceFeedSettings settings;
    private final FeedDownloader downloader;

    public PriceFeedFetcher(PriceFeedRepository repo, PriceFeedSettings settings) {
        this.repo = repo;
        this.settings = settings;
        this.downloader = new FeedDownloader(settings);
    }

    /** One fetch of the most overdue feed; true when a feed was fetched (another may be due). */
    public boolean fetchNextDue() {
        UUID token = UUID.randomUUID();
        Optional<PriceFeed> claimed = repo.claimDue(token, settings.claimFor());
        if (claimed.isEmpty()) {
            return false;
        }
        PriceFeed feed = claimed.get();
        long started = System.nanoTime();
        try {
            FeedDownloader.Download download = downloader.download(feed.url(), feed.format());
            FeedParser.Parsed parsed = FeedParser.parse(download.body(), feed.format(), feed.mapping(), feed.currency());
            Optional<PriceFeedRepository.Applied> applied = repo.applyFetch(feed.id(), token, feed.mapping().matchBy(),
                    parsed.rows(), parsed.rejected());
            if (applied.isEmpty()) {
                LOG.log(Level.WARNING, "Price feed " + feed.id() + " was fetched but its claim had gone (deleted, or taken over); not stored");
            } else {
                LOG.log(Level.INFO, "Price feed " + feed.name() + " (" + feed.id() + "): " + applied.get().matched() + " matched, "
                        + applied.get().unmatched() + " unmatched, " + parsed.rejected() + " rejected, " + download.body().length
                        + " bytes in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            }
        } catch (FeedException e) {
            LOG.log(Level.WARNING, "Price feed " + feed.name() + " (" + feed.id() + ") failed: " + e.getMessage());
            repo.recordFailure(feed.id(), token, e.getMessage());
        } catch (RuntimeException e) {
            // our fault (the database, a bug): the admin sees that it failed, the log says why
            LOG.log(Level.ERROR, "Price feed " + feed.id() + " could not be processed", e);
            repo.recordFailure(feed.id(), token, "Internal error while processing the feed");
        }
        return true;
    }

    /**
     * The catalog's "price-feeds" job. A stop does not wait for a download in progress (up to the total
     * timeout): the claim runs out and another replica fetches the feed.
     */
    public BackgroundJob job() {
        boolean on = !settings.poll().isZero();
        return BackgroundJob.builder("price-feeds", () -> on && fetchNextDue())
                .every(on ? settings.poll() : java.time.Duration.ZERO)
                .firstRunAfter(on ? java.time.Duration.ofSeconds(1) : java.time.Duration.ZERO)
                .build();
    }
}
