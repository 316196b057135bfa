package dev.storefront.search;

import java.io.IOException;
import java.util.List;

import dev.storefront.common.BackgroundJob;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceModule;
import dev.storefront.common.events.EventHandler;
import io.helidon.webserver.http.HttpRouting;

/**
 * The search service: a Lucene index of the catalog on each replica (BM25, HNSW vectors of all-MiniLM-L6-v2,
 * facets, completions), loaded from catalog at start and on an admin's request ({@link IndexRebuild}) and kept
 * current by catalog's product events and inventory's availability events, which every replica receives; searches under
 * /api/search (and the seed's /ai/search, /ai/index). Ready once its first full load has finished. The products'
 * vectors are kept in search's database ({@link EmbeddingCache}), shared by the replicas: a start embeds only
 * what changed since any replica last embedded it.
 */
public final class SearchModule implements ServiceModule {
    private final ServiceContext ctx;
    private final ProductIndex index;
    private final IndexRebuild rebuild;
    private final SearchService service;
    private final List<EventHandler> handlers;
    private final Embeddings embeddings;

    private SearchModule(ServiceContext ctx) {
        this.ctx = ctx;
        this.index = new ProductIndex();
        Embeddings embeddings = new Embeddings(ctx.config().get("storefront.search.embedding-threads").asInt()
                .orElse(Runtime.getRuntime().availableProcessors()));
        CategoryTree categories = new CategoryTree(ctx.publicClient("catalog"));
        ProductIndexer indexer = new ProductIndexer(index, categories, embeddings, new EmbeddingCache(ctx.db()));
        this.rebuild = new IndexRebuild(ctx.client("catalog"), categories, indexer, index);
        rebuild.withStock(new StockLoad(ctx.client("inventory"), index));
        this.service = new SearchService(ctx, new ProductSearch(index, embeddings), new Suggestions(index), rebuild);
        this.handlers = List.of(new ProductCreatedHandler(indexer), new ProductUpdatedHandler(indexer),
                new ProductDeletedHandler(indexer), new AvailabilityChangedHandler(index));
        ctx.onClose(rebuild::stop);
        this.embeddings = embeddings;
    }

    public static SearchModule create(ServiceContext ctx) {
        return new SearchModule(ctx);
    }

    @Override
    public String name() {
        return "search";
    }

    @Override
    public ServiceContext context() {
        return ctx;
    }

    IndexRebuild rebuild() {
        return rebuild;
    }

    /** Products this replica's model embedded since start (the rest came from the embedding cache). */
    long embedded() {
        return embeddings.embedded();
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/api/search", service);
        service.seedAliases(routing);
    }

    /** Not ready until the first full load has finished: a replica never answers from an empty or half-loaded index. */
    @Override
    public java.util.Map<String, java.util.function.BooleanSupplier> readiness() {
        return java.util.Map.of("index", rebuild::loaded);
    }

    @Override
    public List<EventHandler> eventHandlers() {
        return handlers;
    }

    @Override
    public List<BackgroundJob> jobs() {
        return List.of(rebuild.job());
    }

    /** The consumers and the rebuild job stop with the context; the index closes after them. */
    @Override
    public void close() {
        ServiceModule.super.close();
        embeddings.close();
        try {
            index.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
