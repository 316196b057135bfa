package dev.storefront.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.lucene.document.Document;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.suggest.document.CompletionQuery;
import org.apache.lucene.search.suggest.document.FuzzyCompletionQuery;
import org.apache.lucene.search.suggest.document.PrefixCompletionQuery;
import org.apache.lucene.search.suggest.document.SuggestIndexSearcher;
import org.apache.lucene.search.suggest.document.TopSuggestDocs;

/**
 * The search box's completions: product names whose name, or a later part of it, starts with what was typed,
 * from Lucene's completion field in the same index (so a deleted product is never suggested); from four
 * letters on one typo is forgiven.
 */
final class Suggestions {
    static final int MAX = 8;

    private final ProductIndex index;

    Suggestions(ProductIndex index) {
        this.index = index;
    }

    List<Map<String, Object>> suggest(String typed) throws IOException {
        String prefix = typed.strip().toLowerCase(java.util.Locale.ROOT);
        Term term = new Term(ProductDocument.SUGGEST, prefix);
        CompletionQuery query = prefix.length() >= 4 ? new FuzzyCompletionQuery(ProductIndex.SUGGEST, term)
                : new PrefixCompletionQuery(ProductIndex.SUGGEST, term);
        var searcher = index.acquire();
        try {
            // several suffixes of one name may match: ask for more and keep each product once
            TopSuggestDocs top = new SuggestIndexSearcher(searcher.getIndexReader()).suggest(query, MAX * 3, false);
            Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
            for (TopSuggestDocs.SuggestScoreDoc hit : top.scoreLookupDocs()) {
                Document doc = searcher.storedFields().document(hit.doc);
                String id = doc.get(ProductDocument.ID);
                if (!byId.containsKey(id) && byId.size() < MAX) {
                    var product = dev.storefront.common.web.Json.mapper().readTree(doc.get(ProductDocument.SOURCE));
                    byId.put(id, Map.of("id", id, "name", product.path("name").asText()));
                }
            }
            return new ArrayList<>(byId.values());
        } finally {
            index.release(searcher);
        }
    }
}
