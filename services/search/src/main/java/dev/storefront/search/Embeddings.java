package dev.storefront.search;

import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * Sentence embeddings from all-MiniLM-L6-v2 (quantized ONNX, inside langchain4j's jar: nothing is
 * downloaded), 384 dimensions. Products are embedded in batches; a query's vector is cached, as shoppers
 * repeat the same searches.
 */
final class Embeddings {
    static final int DIMENSIONS = 384;

    private final EmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();
    private final Cache<String, float[]> queries = Caffeine.newBuilder().maximumSize(10_000).build();

    /** One vector per text, in order. */
    List<float[]> embed(List<String> texts) {
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        return model.embedAll(segments).content().stream().map(e -> e.vector()).toList();
    }

    /** The vector of a shopper's query (the normalised text is the cache key). */
    float[] query(String q) {
        return queries.get(q.strip().toLowerCase(java.util.Locale.ROOT), text -> model.embed(text).content().vector());
    }
}
