package dev.storefront.search;

import java.util.Arrays;
import java.util.List;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CategoryFeedbackTest {
    /** Products in categories (leaf first, then the parent, as the index holds a lineage); doc ids in this order. */
    private static IndexSearcher index(List<List<String>> lineages) throws Exception {
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
            for (List<String> lineage : lineages) {
                Document doc = new Document();
                lineage.forEach(slug -> doc.add(new StringField(ProductDocument.CATEGORY, slug, Field.Store.NO)));
                doc.add(new StoredField(ProductDocument.SOURCE, lineage.isEmpty() ? "{}" : "{\"categorySlug\":\"" + lineage.getFirst() + "\"}"));
                writer.addDocument(doc);
            }
            writer.forceMerge(1);
        }
        return new IndexSearcher(DirectoryReader.open(dir));
    }

    private static TopDocs hits(float... scores) {
        ScoreDoc[] docs = new ScoreDoc[scores.length];
        for (int i = 0; i < scores.length; i++) {
            docs[i] = new ScoreDoc(i, scores[i]);
        }
        return new TopDocs(new TotalHits(scores.length, TotalHits.Relation.EQUAL_TO), docs);
    }

    private static List<Integer> order(TopDocs docs) {
        return Arrays.stream(docs.scoreDocs).map(d -> d.doc).toList();
    }

    @Test
    void theCategoryMostTopHitsShareLiftsItsProductsOverANearMissFromAnother() throws Exception {
        // doc 0 (jeans) is the best single match, but the aisle of most top hits is leggings'
        IndexSearcher searcher = index(List.of(List.of("women", "clothing"), List.of("fitness", "sports"), List.of("fitness", "sports"),
                List.of("fitness", "sports"), List.of("kitchen", "home")));
        TopDocs reranked = CategoryFeedback.rescore(searcher, hits(0.80f, 0.79f, 0.70f, 0.69f, 0.68f), 5);
        assertThat(order(reranked)).containsExactly(1, 0, 2, 3, 4);
        // a unanimous vote would add WEIGHT; here fitness has 3 of the 5 votes
        assertThat(reranked.scoreDocs[0].score).isCloseTo((float) (0.79 + CategoryFeedback.WEIGHT * 3 / 5), org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void aCategoryFilterOrNoCategoryLeavesTheOrderAlone() throws Exception {
        IndexSearcher sameAisle = index(List.of(List.of("audio"), List.of("audio"), List.of("audio")));
        assertThat(order(CategoryFeedback.rescore(sameAisle, hits(0.9f, 0.8f, 0.7f), 3))).containsExactly(0, 1, 2);
        IndexSearcher none = index(List.of(List.of(), List.of()));
        assertThat(order(CategoryFeedback.rescore(none, hits(0.9f, 0.8f), 2))).containsExactly(0, 1);
        assertThat(CategoryFeedback.rescore(none, hits(), 10).scoreDocs).isEmpty();
    }
}
