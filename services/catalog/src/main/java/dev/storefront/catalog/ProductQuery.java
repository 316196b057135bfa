package dev.storefront.catalog;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;

import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Page;
import dev.storefront.common.web.Params;
import io.helidon.webserver.http.ServerRequest;

/** The validated query of GET /api/products; its {@link #cacheKey()} names one cached answer. */
public record ProductQuery(Page page, String category, BigDecimal minPrice, BigDecimal maxPrice, String q, String sort) {
    public static final Set<String> SORTS = Set.of("price_asc", "price_desc", "name_asc", "newest", "relevance");

    public static ProductQuery from(ServerRequest req) {
        Page page = Page.from(req);
        Optional<String> category = Params.query(req, "category");
        if (category.isPresent() && !category.get().matches(CategoryBody.SLUG_PATTERN)) {
            throw ApiException.invalidField("category", "must be a category slug");
        }
        BigDecimal min = Params.money(req, "minPrice").orElse(null);
        BigDecimal max = Params.money(req, "maxPrice").orElse(null);
        if (min != null && max != null && min.compareTo(max) > 0) {
            throw ApiException.invalidField("minPrice", "must not be greater than maxPrice");
        }
        String q = Params.query(req, "q").orElse(null);
        if (q != null && q.length() > 200) {
            throw ApiException.invalidField("q", "must be at most 200 characters");
        }
        // relevance only means something with a search; without one the newest come first
        String sort = Params.oneOf(req, "sort", SORTS).orElse(q != null ? "relevance" : "newest");
        if (sort.equals("relevance") && q == null) {
            sort = "newest";
        }
        return new ProductQuery(page, category.orElse(null), min, max, q, sort);
    }

    public String cacheKey() {
        return page.page() + "|" + page.limit() + "|" + category + "|" + plain(minPrice) + "|" + plain(maxPrice)
                + "|" + sort + "|" + q;
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros().toPlainString();
    }
}
