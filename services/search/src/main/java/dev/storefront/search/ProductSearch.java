package dev.storefront.search;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.web.Json;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.range.LongRangeFacetCounts;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FloatVectorSimilarityQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/**
 * Runs a {@link SearchQuery}: keyword (BM25 with typo tolerance), semantic (the HNSW graph, products whose
 * embedding is close enough to the query's) or hybrid (both, fused by reciprocal rank, the semantic list first
 * re-ranked by {@link CategoryFeedback}), within the filters;
 * facet counts over everything that matched; sorted by relevance or by a field.
 */
final class ProductSearch {
    /**
     * Cosine similarity a product needs to count as a semantic match (the vectors are of unit length, so Lucene's
     * dot-product score is (1 + cos) / 2). Measured over the labelled queries (RelevanceTest): 0.3 lost a third of
     * semantic's recall, 0.2 still left some queries with no result.
     */
    static final float MIN_COSINE = 0.1f;
    /** How far down each list reciprocal rank fusion looks, and its k (60, as in the paper that named it). */
    static final int FUSION_DEPTH = 100;
    static final int FUSION_K = 60;
    /**
     * How many nearest products the semantic side considers (more when a page reaches further): ten pages of 20.
     * At 100,000 products, hybrid p50 was 24 ms with 1,000 nearest and 13 ms with 200.
     */
    static final int SEMANTIC_DEPTH = 200;

    record Result(List<JsonNode> items, long total, Map<String, Object> facets) {
    }

    private final ProductIndex index;
    private final Embeddings embeddings;
    private volatile DefaultSortedSetDocValuesReaderState facetState;

    ProductSearch(ProductIndex index, Embeddings embeddings) {
        this.index = index;
        this.embeddings = embeddings;
    }

    Result search(SearchQuery query) throws IOException {
        IndexSearcher searcher = index.acquire();
        try {
            Query filter = filter(query);
            Query semantic = query.q() == null || query.mode().equals("keyword") ? null : semantic(searcher, query, filter);
            // in hybrid the keyword side adds only products with every word: a partial match of a sentence ("water"
            // in "water the lawn" finding a camping stove) is noise beside the semantic side, which covers meaning
            // rewritten once here: the typo-tolerant terms expand against the term dictionary, which the ranking and the
            // facets would each do again
            Query keyword = query.q() == null ? null : searcher.rewrite(and(KeywordQuery.of(query.q(), query.mode().equals("hybrid")), filter));
            Query matches = query.q() == null ? filter : switch (query.mode()) {
                case "keyword" -> keyword;
                case "semantic" -> semantic;
                default -> new BooleanQuery.Builder().add(keyword, Occur.SHOULD).add(semantic, Occur.SHOULD).build();
            };
            int window = query.page().page() * query.page().limit();
            ScoreDoc[] ranked = rank(searcher, query, keyword, semantic, matches, window);
            FacetsCollector facets = searcher.search(matches, new FacetsCollectorManager());
            long total = facets.getMatchingDocs().stream().mapToLong(m -> m.totalHits()).sum();
            List<JsonNode> items = new ArrayList<>();
            for (int i = query.page().offset(); i < Math.min(window, ranked.length); i++) {
                items.add(Json.mapper().readTree(searcher.storedFields().document(ranked[i].doc).get(ProductDocument.SOURCE)));
            }
            return new Result(items, total, facets(searcher, facets));
        } finally {
            index.release(searcher);
        }
    }

    /**
     * The products close enough in meaning, among the {@link #SEMANTIC_DEPTH} nearest within the filters (or as many
     * as the page reaches): one walk of the HNSW graph, done here once (Lucene rewrites a k-nearest query to those
     * documents), then the similarity threshold checked against just them. A bare similarity query over the whole
     * graph matched most of the catalog at a threshold this low (74,660 of 100,000 products for "sweater") and walked
     * it again for every use (the ranking, the facets): semantic p50 294 ms at 100,000 products.
     */
    private Query semantic(IndexSearcher searcher, SearchQuery query, Query filter) throws IOException {
        float[] vector = embeddings.query(query.q());
        int depth = Math.max(SEMANTIC_DEPTH, query.page().page() * query.page().limit());
        // no filter rather than one that takes every document: Lucene would first collect all of them in a bit set
        Query nearest = searcher.rewrite(new KnnFloatVectorQuery(ProductDocument.VECTOR, vector, depth, narrows(filter) ? filter : null));
        return new FloatVectorSimilarityQuery(ProductDocument.VECTOR, vector, score(MIN_COSINE - 0.05f), score(MIN_COSINE), nearest);
    }

    private ScoreDoc[] rank(IndexSearcher searcher, SearchQuery query, Query keyword, Query semantic, Query matches, int window)
            throws IOException {
        if (!query.sort().equals("relevance")) {
            return searcher.search(matches, window, sort(query.sort())).scoreDocs;
        }
        return switch (query.mode()) {
            case "keyword" -> searcher.search(keyword, window).scoreDocs;
            case "semantic" -> searcher.search(semantic, window).scoreDocs;
            default -> {
                int depth = Math.max(window, FUSION_DEPTH);
                TopDocs semanticHits = CategoryFeedback.rescore(searcher, searcher.search(semantic, depth), depth);
                TopDocs fused = TopDocs.rrf(window, FUSION_K, new TopDocs[] {searcher.search(keyword, depth), semanticHits});
                yield fused.scoreDocs;
            }
        };
    }

    /** {@link #filter} starts from every document and adds the query's clauses: with none added it narrows nothing. */
    private static boolean narrows(Query filter) {
        return !(filter instanceof BooleanQuery b && b.clauses().size() == 1);
    }

    private static Query filter(SearchQuery query) {
        BooleanQuery.Builder filter = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), Occur.MUST);
        if (query.category() != null) {
            filter.add(new TermQuery(new Term(ProductDocument.CATEGORY, query.category())), Occur.FILTER);
        }
        if (query.minPrice() != null || query.maxPrice() != null) {
            long min = query.minPrice() == null ? 0 : ProductDocument.cents(query.minPrice());
            long max = query.maxPrice() == null ? Long.MAX_VALUE : ProductDocument.cents(query.maxPrice());
            filter.add(LongPoint.newRangeQuery(ProductDocument.PRICE, min, max), Occur.FILTER);
        }
        if (query.inStock() != null) {
            filter.add(StockFilter.of(query.inStock()), Occur.FILTER);
        }
        return filter.build();
    }

    private static Query and(Query scored, Query filter) {
        return new BooleanQuery.Builder().add(scored, Occur.MUST).add(filter, Occur.FILTER).build();
    }

    private static Sort sort(String sort) {
        return switch (sort) {
            case "price_asc" -> new Sort(new SortField(ProductDocument.PRICE, SortField.Type.LONG));
            case "price_desc" -> new Sort(new SortField(ProductDocument.PRICE, SortField.Type.LONG, true));
            case "name_asc" -> new Sort(new SortField(ProductDocument.NAME_SORT, SortField.Type.STRING));
            default -> new Sort(new SortField(ProductDocument.CREATED, SortField.Type.LONG, true));
        };
    }

    private Map<String, Object> facets(IndexSearcher searcher, FacetsCollector hits) throws IOException {
        Map<String, Object> facets = new LinkedHashMap<>();
        List<Map<String, Object>> categories = new ArrayList<>();
        DefaultSortedSetDocValuesReaderState state = facetState(searcher.getIndexReader());
        if (state != null) {
            FacetResult top = new SortedSetDocValuesFacetCounts(state, hits).getTopChildren(100, ProductDocument.CATEGORY);
            if (top != null) {
                for (LabelAndValue lv : top.labelValues) {
                    categories.add(Map.of("slug", lv.label, "count", lv.value.longValue()));
                }
            }
        }
        facets.put("categories", categories);
        FacetResult prices = new LongRangeFacetCounts(ProductDocument.PRICE, hits, PriceBands.RANGES).getAllChildren(ProductDocument.PRICE);
        List<Map<String, Object>> bands = new ArrayList<>();
        for (int i = 0; i < PriceBands.BANDS.size(); i++) {
            PriceBands.Band band = PriceBands.BANDS.get(i);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("band", band.label());
            entry.put("minPrice", BigDecimal.valueOf(band.from()));
            entry.put("maxPrice", band.to() == null ? null : BigDecimal.valueOf(band.to()));
            entry.put("count", prices.labelValues[i].value.longValue());
            bands.add(entry);
        }
        facets.put("priceBands", bands);
        facets.put("inStock", StockFilter.count(hits));
        return facets;
    }

    /** Lucene's per-reader facet state, made once per refresh of the index; null while nothing has a category. */
    private DefaultSortedSetDocValuesReaderState facetState(IndexReader reader) throws IOException {
        DefaultSortedSetDocValuesReaderState state = facetState;
        if (state != null && state.getReader() == reader) {
            return state;
        }
        try {
            state = new DefaultSortedSetDocValuesReaderState(reader, index.facetsConfig());
        } catch (IllegalArgumentException noCategoryYet) {
            return null;
        }
        facetState = state;
        return state;
    }

    /** Lucene's score of a cosine similarity (the dot product of unit vectors). */
    private static float score(float cosine) {
        return (1 + cosine) / 2;
    }
}
