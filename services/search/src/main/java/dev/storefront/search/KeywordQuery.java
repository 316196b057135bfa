package dev.storefront.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * BM25 over name, category names and description, each word of the query matched exactly or, for words
 * of four letters or more, within one or two edits (Lucene's {@link FuzzyQuery}: "cofee" finds coffee).
 * A product with more of the words ranks higher; one needs at least half of them (of three or more).
 */
final class KeywordQuery {
    private static final float NAME = 3f;
    private static final float CATEGORY = 2f;
    private static final float DESCRIPTION = 1f;
    /** A misspelt match counts less than an exact one. */
    private static final float FUZZY = 0.5f;

    private KeywordQuery() {
    }

    /** @param allWords every word must match (else at least half of them, of three or more) */
    static Query of(String q, boolean allWords) {
        Set<String> words = words(q);
        if (words.isEmpty()) {
            return new MatchNoDocsQuery("no searchable word");
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        for (String word : words) {
            query.add(word(word), BooleanClause.Occur.SHOULD);
        }
        // most of a longer query's words must match: one common word ("day", "home") is no match for a sentence
        return query.setMinimumNumberShouldMatch(allWords ? words.size() : words.size() <= 2 ? 1 : (words.size() + 1) / 2).build();
    }

    private static Query word(String word) {
        List<Query> ways = new ArrayList<>();
        int edits = word.length() < 4 ? 0 : word.length() < 8 ? 1 : 2;
        for (var field : List.of(java.util.Map.entry(ProductDocument.NAME, NAME), java.util.Map.entry(ProductDocument.CATEGORY_TEXT, CATEGORY),
                java.util.Map.entry(ProductDocument.DESCRIPTION, DESCRIPTION))) {
            Term term = new Term(field.getKey(), word);
            ways.add(new BoostQuery(new TermQuery(term), field.getValue()));
            if (edits > 0) {
                ways.add(new BoostQuery(new FuzzyQuery(term, edits, 1), field.getValue() * FUZZY));
            }
        }
        return new DisjunctionMaxQuery(ways, 0.1f);
    }

    /** The query's words as the index holds them (stemmed, stop words out), each once. */
    private static Set<String> words(String q) {
        Set<String> words = new LinkedHashSet<>();
        try (TokenStream tokens = ProductIndex.TEXT.tokenStream(ProductDocument.NAME, q)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken() && words.size() < 32) {
                words.add(term.toString());
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return words;
    }
}
