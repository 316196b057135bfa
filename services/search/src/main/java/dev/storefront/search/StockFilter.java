package dev.storefront.search;

import java.io.IOException;

import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.range.LongRange;
import org.apache.lucene.facet.range.LongRangeFacetCounts;
import org.apache.lucene.search.Query;

/** The in-stock filter ({@code inStock=true|false}) and facet (how many of the matches are in stock), on {@link ProductDocument#IN_STOCK}. */
final class StockFilter {
    private static final LongRange IN_STOCK = new LongRange("inStock", 1, true, 1, true);

    private StockFilter() {
    }

    /** Products in stock (true) or out of stock (false). A doc-values query: it only narrows what the other clauses lead. */
    static Query of(boolean inStock) {
        return NumericDocValuesField.newSlowExactQuery(ProductDocument.IN_STOCK, inStock ? 1 : 0);
    }

    /** How many of the matches are in stock. */
    static long count(FacetsCollector hits) throws IOException {
        return new LongRangeFacetCounts(ProductDocument.IN_STOCK, hits, IN_STOCK).getAllChildren(ProductDocument.IN_STOCK)
                .labelValues[0].value.longValue();
    }
}
