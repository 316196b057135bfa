package dev.storefront.search;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.BackgroundJob;
import dev.storefront.common.http.ServiceClient;

/**
 * Loads the whole catalog into the index, a page at a time from catalog's {@code /internal/catalog/products/all}
 * (keyset pages in id order), then removes what catalog no longer has. It runs as the job {@code index-rebuild}:
 * once at start (retried with a growing pause while catalog is not there yet) and whenever an admin asks;
 * events keep the index current meanwhile, and the index's version order makes the two safe together.
 */
final class IndexRebuild {
    private static final System.Logger LOG = System.getLogger(IndexRebuild.class.getName());
    static final int PAGE = 500;
    private static final long REFRESH_NANOS = Duration.ofSeconds(3).toNanos();

    /**
     * Where a rebuild is; {@code state} is running, done or failed. Of the products indexed, {@code embedded} were
     * embedded by the model and {@code fromCache} had their vector in the embedding cache.
     */
    record Progress(String state, long indexed, long removed, long inIndex, long embedded, long fromCache, Instant startedAt,
                    Instant finishedAt, String error) {
    }

    private final ServiceClient catalog;
    private final CategoryTree categories;
    private final ProductIndexer indexer;
    private final ProductIndex index;
    private final BackgroundJob job;
    /** Inventory's availability, read before catalog's pages (StockLoad). */
    private StockLoad stock;
    /** A full load has finished once: from then on this replica answers from a whole index (readiness). */
    private volatile boolean loaded;
    private volatile boolean requested = true;
    private volatile boolean stopping;
    /** The indexer's counters when this rebuild began (events index products meanwhile too: counted as well). */
    private volatile long embeddedBefore;
    private volatile long fromCacheBefore;
    private volatile Progress progress = new Progress("pending", 0, 0, 0, 0, 0, null, null, null);

    IndexRebuild(ServiceClient catalog, CategoryTree categories, ProductIndexer indexer, ProductIndex index) {
        this.catalog = catalog;
        this.categories = categories;
        this.indexer = indexer;
        this.index = index;
        this.job = BackgroundJob.builder("index-rebuild", this::round)
                .retryAfter(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .stopTimeout(Duration.ofSeconds(2))
                .build();
    }

    BackgroundJob job() {
        return job;
    }

    /** Each rebuild reads inventory's availability first (set before the job starts). */
    void withStock(StockLoad stock) {
        this.stock = stock;
    }

    /** Whether a full load (stock, then the whole catalog) has finished on this replica; a later rebuild does not undo it. */
    boolean loaded() {
        return loaded;
    }

    Progress progress() {
        return progress;
    }

    /** Asks for a rebuild (a second request while one runs is that one); answers where it is now. */
    Progress request() {
        if (!"running".equals(progress.state())) {
            requested = true;
            job.wake();
        }
        return progress;
    }

    /** Ends a rebuild in progress at the next page (the process is stopping). */
    void stop() {
        stopping = true;
    }

    private long embedded() {
        return indexer.embedded() - embeddedBefore;
    }

    private long fromCache() {
        return indexer.fromCache() - fromCacheBefore;
    }

    private boolean round() throws Exception {
        if (!requested) {
            return false;
        }
        Instant started = Instant.now();
        embeddedBefore = indexer.embedded();
        fromCacheBefore = indexer.fromCache();
        progress = new Progress("running", 0, 0, index.size(), 0, 0, started, null, null);
        LOG.log(Level.INFO, "search index: rebuilding from catalog");
        try {
            rebuild(started);
        } catch (Exception e) {
            progress = new Progress("failed", progress.indexed(), 0, index.size(), embedded(), fromCache(), started, Instant.now(),
                    e.getMessage());
            LOG.log(Level.WARNING, "search index: rebuild failed after " + progress.indexed() + " products: " + e.getMessage());
            throw e; // the job retries after a pause
        }
        return false;
    }

    private void rebuild(Instant started) throws Exception {
        categories.refresh();
        if (stock != null) {
            stock.load(() -> stopping);
        }
        Set<UUID> seen = new HashSet<>();
        UUID after = null;
        long indexed = 0;
        long refreshed = System.nanoTime();
        while (!stopping) {
            JsonNode page = catalog.get("/internal/catalog/products/all?limit=" + PAGE + (after == null ? "" : "&after=" + after));
            List<SearchProduct> products = new ArrayList<>();
            page.forEach(node -> products.add(SearchProduct.from(node)));
            indexer.upsert(products);
            if (System.nanoTime() - refreshed > REFRESH_NANOS) {
                // shoppers see the load as it goes, a few seconds behind; a refresh per page flushed a small segment
                // every 500 products, each merged again and again
                indexer.refresh();
                refreshed = System.nanoTime();
            }
            products.forEach(p -> seen.add(p.id()));
            indexed += products.size();
            progress = new Progress("running", indexed, 0, index.size(), embedded(), fromCache(), started, null, null);
            LOG.log(Level.INFO, "search index: " + indexed + " products read from catalog (" + embedded() + " embedded, "
                    + fromCache() + " from the embedding cache)");
            if (products.size() < PAGE) {
                break;
            }
            after = products.getLast().id();
        }
        if (stopping) {
            return;
        }
        int removed = index.removeUnseen(seen, started);
        long merging = System.nanoTime();
        index.compact();
        LOG.log(Level.INFO, "search index: merged into one segment in " + (System.nanoTime() - merging) / 1_000_000 + " ms");
        requested = false;
        loaded = true;
        Instant finished = Instant.now();
        progress = new Progress("done", indexed, removed, index.size(), embedded(), fromCache(), started, finished, null);
        LOG.log(Level.INFO, "search index: rebuilt, " + indexed + " products in " + Duration.between(started, finished).toMillis()
                + " ms (" + embedded() + " embedded, " + fromCache() + " from the embedding cache), " + removed + " removed");
    }
}
