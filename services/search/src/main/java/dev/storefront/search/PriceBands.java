package dev.storefront.search;

import java.util.List;

import org.apache.lucene.facet.range.LongRange;

/** The price bands the facet counts: from (inclusive) and to (exclusive; none for the top band), in currency units. */
final class PriceBands {
    record Band(long from, Long to) {
        String label() {
            return to == null ? from + "-" : from + "-" + to;
        }

        LongRange range() {
            return new LongRange(label(), from * 100, true, to == null ? Long.MAX_VALUE : to * 100, to == null);
        }
    }

    static final List<Band> BANDS = List.of(new Band(0, 25L), new Band(25, 50L), new Band(50, 100L),
            new Band(100, 200L), new Band(200, null));

    static final LongRange[] RANGES = BANDS.stream().map(Band::range).toArray(LongRange[]::new);

    private PriceBands() {
    }
}
