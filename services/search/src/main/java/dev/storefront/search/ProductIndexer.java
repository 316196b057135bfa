package dev.storefront.search;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes products into the index: each with its category lineage and its embedding, the embeddings
 * made a batch at a time (the model is several times faster per product in batches).
 */
final class ProductIndexer {
    static final int EMBEDDING_BATCH = 32;

    private final ProductIndex index;
    private final CategoryTree categories;
    private final Embeddings embeddings;

    ProductIndexer(ProductIndex index, CategoryTree categories, Embeddings embeddings) {
        this.index = index;
        this.categories = categories;
        this.embeddings = embeddings;
    }

    /** Indexes the products that are newer than what the index holds; answers how many it wrote. Visible after {@link #refresh}. */
    int upsert(List<SearchProduct> products) throws IOException {
        List<SearchProduct> fresh = products.stream().filter(index::wouldChange).toList();
        int written = 0;
        for (int from = 0; from < fresh.size(); from += EMBEDDING_BATCH) {
            List<SearchProduct> batch = fresh.subList(from, Math.min(fresh.size(), from + EMBEDDING_BATCH));
            List<List<CategoryTree.Node>> lineages = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (SearchProduct p : batch) {
                List<CategoryTree.Node> lineage = categories.lineage(p.categoryId());
                lineages.add(lineage);
                texts.add(p.embeddingText(lineage.isEmpty() ? null : lineage.getFirst().name()));
            }
            List<float[]> vectors = embeddings.embed(texts);
            for (int i = 0; i < batch.size(); i++) {
                if (index.upsert(batch.get(i), ProductDocument.of(batch.get(i), lineages.get(i), vectors.get(i)))) {
                    written++;
                }
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
}
