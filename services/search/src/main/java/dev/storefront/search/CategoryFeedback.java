package dev.storefront.search;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.web.Json;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.QueryRescorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/**
 * Pseudo-relevance feedback by category for hybrid's semantic list: the categories that most of the top semantic
 * hits belong to are what the query is about, so every candidate gains {@link #WEIGHT} times the share of those
 * top hits that are in its own category, and the list is re-sorted (Lucene's {@link QueryRescorer}: first-pass
 * score + weight × the category query's score). A meaning query ("pants for jogging") whose best item sits
 * beside near misses from other aisles (jeans, chinos) gets the aisle most of its neighbours come from.
 * Measured over the labelled queries (RelevanceTest; the figures of every setting tried are in
 * docs/search-relevance.md).
 */
final class CategoryFeedback {
    /** How many of the top semantic hits vote for their category. */
    static final int VOTERS = 20;
    /** What a unanimous vote adds to a candidate's score ((1 + cos) / 2, so 0.1 is a cosine difference of 0.2). */
    static final double WEIGHT = 0.1;

    private CategoryFeedback() {
    }

    /** The semantic hits re-ranked by their category's share of the top {@link #VOTERS}; at most {@code n} of them. */
    static TopDocs rescore(IndexSearcher searcher, TopDocs semantic, int n) throws IOException {
        int voters = Math.min(VOTERS, semantic.scoreDocs.length);
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (int i = 0; i < voters; i++) {
            // the leaf category as catalog sent it (ProductDocument's category field holds the whole lineage)
            JsonNode product = Json.mapper().readTree(searcher.storedFields().document(semantic.scoreDocs[i].doc).get(ProductDocument.SOURCE));
            String slug = product.path("categorySlug").asText("");
            if (!slug.isEmpty()) {
                votes.merge(slug, 1, Integer::sum);
            }
        }
        if (votes.isEmpty()) {
            return semantic;
        }
        BooleanQuery.Builder categories = new BooleanQuery.Builder();
        votes.forEach((slug, count) -> categories.add(new BoostQuery(
                new ConstantScoreQuery(new TermQuery(new Term(ProductDocument.CATEGORY, slug))), count / (float) voters), Occur.SHOULD));
        return QueryRescorer.rescore(searcher, semantic, categories.build(), WEIGHT, n);
    }
}
