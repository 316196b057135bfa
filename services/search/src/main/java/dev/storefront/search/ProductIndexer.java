package dev.storefront.search;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes products into the index: each with its category lineage and its embedding. Embeddings come from the
 * {@link EmbeddingCache} when the product's text is the one embedded before (a restart, another replica's
 * rebuild, a price change), otherwise from the model, a batch at a time, and go into the cache for next time.
 */
final class ProductIndexer {
    /** Texts handed to the model at once (spread over its workers). */
    static final int EMBEDDING_BATCH = 64;

    private final ProductIndex index;
    private final CategoryTree categories;
    private final Embeddings embeddings;
    private final EmbeddingCache cache;
    private final LongAdder fromCache = new LongAdder();

    ProductIndexer(ProductIndex index, CategoryTree categories, Embeddings embeddings, EmbeddingCache cache) {
        this.index = index;
        this.categories = categories;
        this.embeddings = embeddings;
        this.cache = cache;
    }

    /** Indexes the products that are newer than what the index holds; answers how many it wrote. Visible after {@link #refresh}. */
    int upsert(List<SearchProduct> products) throws IOException {
        List<SearchProduct> fresh = products.stream().filter(index::wouldChange).toList();
        if (fresh.isEmpty()) {
            return 0;
        }
        List<List<CategoryTree.Node>> lineages = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        Map<UUID, byte[]> keys = new HashMap<>();
        for (SearchProduct p : fresh) {
            List<CategoryTree.Node> lineage = categories.lineage(p.categoryId());
            lineages.add(lineage);
            String text = p.embeddingText(lineage.isEmpty() ? null : lineage.getFirst().name());
            texts.add(text);
            keys.put(p.id(), EmbeddingCache.key(text));
        }
        Map<UUID, float[]> vectors = cache.find(keys);
        fromCache.add(vectors.size());
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < fresh.size(); i++) {
            if (!vectors.containsKey(fresh.get(i).id())) {
                missing.add(i);
            }
        }
        for (int from = 0; from < missing.size(); from += EMBEDDING_BATCH) {
            List<Integer> batch = missing.subList(from, Math.min(missing.size(), from + EMBEDDING_BATCH));
            List<float[]> made = embeddings.embed(batch.stream().map(texts::get).toList());
            List<EmbeddingCache.Entry> entries = new ArrayList<>();
            for (int j = 0; j < batch.size(); j++) {
                UUID id = fresh.get(batch.get(j)).id();
                vectors.put(id, made.get(j));
                entries.add(new EmbeddingCache.Entry(id, keys.get(id), made.get(j)));
            }
            cache.store(entries);
        }
        int written = 0;
        for (int i = 0; i < fresh.size(); i++) {
            SearchProduct p = fresh.get(i);
            if (index.upsert(p, ProductDocument.of(p, lineages.get(i), vectors.get(p.id())))) {
                written++;
            }
        }
        return written;
    }

    void delete(UUID id, Instant at) throws IOException {
        index.delete(id, at);
    }

    void refresh() throws IOException {
        index.refresh();
    }

    /** Products embedded by the model since start. */
    long embedded() {
        return embeddings.embedded();
    }

    /** Products whose vector came from the cache since start. */
    long fromCache() {
        return fromCache.sum();
    }
}
