package dev.storefront.search;

import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.storefront.common.web.Json;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.suggest.document.SuggestField;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;

/** The fields of one product in the index, and what each is for. */
final class ProductDocument {
    static final String ID = "id";
    /** BM25 text: the name counts most, then the category's names, then the description. */
    static final String NAME = "name";
    static final String CATEGORY_TEXT = "categoryText";
    static final String DESCRIPTION = "description";
    /** The category and each ancestor's slug: a filter by one finds its subtree; also the facet's dimension. */
    static final String CATEGORY = "category";
    /** Price in cents: range filter (points), sort and price-band facet (doc values). */
    static final String PRICE = "priceCents";
    static final String CREATED = "createdAt";
    static final String NAME_SORT = "nameSort";
    static final String VECTOR = "vector";
    /** The product as catalog sent it: what a result shows, without asking catalog again. */
    static final String SOURCE = "source";
    /**
     * 1 when inventory says the product can be bought, else 0: doc values only, so {@link ProductIndex} can change it in
     * place when inventory's availability_changed arrives (no new embedding); the in-stock filter and facet read it.
     */
    static final String IN_STOCK = "inStock";
    /** Completions for the search box: the name from each of its first words on. */
    static final String SUGGEST = "suggest";

    private static final int SUGGEST_WORDS = 6;

    private ProductDocument() {
    }

    static Document of(SearchProduct p, List<CategoryTree.Node> lineage, float[] vector) {
        Document doc = new Document();
        doc.add(new StringField(ID, p.id().toString(), Field.Store.YES));
        doc.add(new TextField(NAME, p.name(), Field.Store.NO));
        doc.add(new TextField(CATEGORY_TEXT, lineage.stream().map(CategoryTree.Node::name).collect(Collectors.joining(" ")), Field.Store.NO));
        if (p.description() != null) {
            doc.add(new TextField(DESCRIPTION, p.description(), Field.Store.NO));
        }
        for (CategoryTree.Node node : lineage) {
            doc.add(new StringField(CATEGORY, node.slug(), Field.Store.NO));
            doc.add(new SortedSetDocValuesFacetField(CATEGORY, node.slug()));
        }
        long cents = cents(p.price());
        doc.add(new LongPoint(PRICE, cents));
        doc.add(new NumericDocValuesField(PRICE, cents));
        doc.add(new NumericDocValuesField(CREATED, p.createdAt() == null ? 0 : p.createdAt().toEpochMilli()));
        doc.add(new SortedDocValuesField(NAME_SORT, new BytesRef(p.name().toLowerCase(Locale.ROOT))));
        // unit length, so the dot product is the cosine: one sum per dimension instead of cosine's three (the graph walk
        // scores thousands of vectors per query at 100,000 products)
        doc.add(new KnnFloatVectorField(VECTOR, unit(vector), VectorSimilarityFunction.DOT_PRODUCT));
        doc.add(new StoredField(SOURCE, Json.write(p)));
        String[] words = p.name().strip().split("\\s+");
        for (int i = 0; i < Math.min(words.length, SUGGEST_WORDS); i++) {
            // the whole name weighs most, so "mug" suggests "Mug ..." before "Travel Mug"
            doc.add(new SuggestField(SUGGEST, String.join(" ", List.of(words).subList(i, words.length)), SUGGEST_WORDS - i));
        }
        return doc;
    }

    /** A copy of the vector scaled to length 1 (the model's are already; a cached or zero vector is not trusted to be). */
    static float[] unit(float[] vector) {
        return VectorUtil.l2normalize(vector.clone(), false);
    }

    static long cents(java.math.BigDecimal price) {
        return price.setScale(2, RoundingMode.HALF_UP).movePointRight(2).longValueExact();
    }
}
