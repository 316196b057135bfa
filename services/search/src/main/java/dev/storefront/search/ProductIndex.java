package dev.storefront.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.codecs.PostingsFormat;
import org.apache.lucene.codecs.lucene103.Lucene103Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.suggest.document.Completion101PostingsFormat;
import org.apache.lucene.search.suggest.document.CompletionAnalyzer;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;

/**
 * This replica's Lucene index of the catalog, in a temporary directory of its own (memory-mapped: the
 * vectors live in the page cache, not the heap) and rebuilt at every start. Writes are ordered by each
 * product's version, so a late event or a rebuild page older than what the index holds changes nothing,
 * and a deleted product is not brought back by an older event still in flight.
 */
final class ProductIndex implements AutoCloseable {
    /** BM25 fields: English stemming and stop words. */
    static final Analyzer TEXT = new EnglishAnalyzer();
    /** Completions: lower-cased words, nothing dropped (a shopper types "the" too). */
    static final CompletionAnalyzer SUGGEST = new CompletionAnalyzer(new StandardAnalyzer(CharArraySet.EMPTY_SET));

    private record Version(Instant at, boolean deleted) {
    }

    /** Inventory's word on a product: in stock or not, at inventory's version of that state. */
    private record Stock(long version, boolean inStock) {
    }

    private final Path path;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final FacetsConfig facets = new FacetsConfig();
    private final Map<UUID, Version> versions = new ConcurrentHashMap<>();
    /** Kept apart from the documents: stock may be heard of before the product (or after it was deleted). */
    private final Map<UUID, Stock> stock = new ConcurrentHashMap<>();

    ProductIndex() {
        try {
            path = Files.createTempDirectory("storefront-search-");
            directory = new MMapDirectory(path);
            IndexWriterConfig config = new IndexWriterConfig(new PerFieldAnalyzerWrapper(TEXT,
                    Map.of(ProductDocument.SUGGEST, SUGGEST)));
            PostingsFormat completions = new Completion101PostingsFormat();
            config.setCodec(new Lucene103Codec() {
                @Override
                public PostingsFormat getPostingsFormatForField(String field) {
                    return ProductDocument.SUGGEST.equals(field) ? completions : super.getPostingsFormatForField(field);
                }
            });
            writer = new IndexWriter(directory, config);
            searchers = new SearcherManager(writer, null);
            facets.setMultiValued(ProductDocument.CATEGORY, true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the search index", e);
        }
    }

    FacetsConfig facetsConfig() {
        return facets;
    }

    /** Writes the product unless the index already holds a newer version of it or deleted it later. */
    synchronized boolean upsert(SearchProduct product, Document doc) throws IOException {
        if (!wouldChange(product)) {
            return false;
        }
        Stock known = stock.get(product.id());
        doc.add(new NumericDocValuesField(ProductDocument.IN_STOCK, known != null && known.inStock() ? 1 : 0));
        writer.updateDocument(new Term(ProductDocument.ID, product.id().toString()), facets.build(doc));
        versions.put(product.id(), new Version(product.version(), false));
        return true;
    }

    /**
     * Records inventory's availability of a product unless this index already has that version or a later one (a
     * redelivered or late event, a full-load page older than an event), and sets the document's in-stock value in
     * place. Answers whether it was newer. Visible after {@link #refresh}.
     */
    synchronized boolean stock(UUID id, boolean inStock, long version) throws IOException {
        Stock known = stock.get(id);
        if (known != null && known.version() >= version) {
            return false;
        }
        stock.put(id, new Stock(version, inStock));
        Version indexed = versions.get(id);
        if (indexed != null && !indexed.deleted() && (known == null || known.inStock() != inStock)) {
            writer.updateNumericDocValue(new Term(ProductDocument.ID, id.toString()), ProductDocument.IN_STOCK, inStock ? 1 : 0);
        }
        return true;
    }

    /** Removes the product; remembers when, so an older create or update arriving later is ignored. */
    synchronized void delete(UUID id, Instant at) throws IOException {
        writer.deleteDocuments(new Term(ProductDocument.ID, id.toString()));
        versions.put(id, new Version(at, true));
    }

    /** Whether a write of this product at this version would change the index (the embedding can then be skipped). */
    boolean wouldChange(SearchProduct product) {
        Version known = versions.get(product.id());
        if (known == null) {
            return true;
        }
        // the same version again is written again (harmless); a deletion wins over versions up to its time
        return known.deleted() ? known.at().isBefore(product.version()) : !known.at().isAfter(product.version());
    }

    /** After a rebuild: removes what catalog no longer has (not seen, and not written since the rebuild began). */
    synchronized int removeUnseen(Set<UUID> seen, Instant rebuildStart) throws IOException {
        int removed = 0;
        for (var entry : versions.entrySet()) {
            Version v = entry.getValue();
            if (!v.deleted() && !seen.contains(entry.getKey()) && v.at().isBefore(rebuildStart)) {
                delete(entry.getKey(), rebuildStart);
                removed++;
            }
        }
        return removed;
    }

    /** Makes the writes so far visible to searches. */
    void refresh() throws IOException {
        searchers.maybeRefreshBlocking();
    }

    /**
     * Merges the index into one segment and makes that visible: after a full load it is in many (Lucene flushes and
     * merges as it goes), and every query walks each segment's HNSW graph and term dictionary on its own. Not
     * synchronized: events keep writing meanwhile, into new segments.
     */
    void compact() throws IOException {
        writer.forceMerge(1);
        refresh();
    }

    IndexSearcher acquire() throws IOException {
        return searchers.acquire();
    }

    void release(IndexSearcher searcher) throws IOException {
        searchers.release(searcher);
    }

    /** Products in the index now. */
    long size() {
        return versions.values().stream().filter(v -> !v.deleted()).count();
    }

    @Override
    public void close() throws IOException {
        searchers.close();
        writer.rollback(); // aborts a merge in progress (the index is thrown away below, nothing to commit)
        directory.close();
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
