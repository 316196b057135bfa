package dev.storefront.search;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;

import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Page;
import dev.storefront.common.web.Params;
import io.helidon.webserver.http.ServerRequest;

/**
 * The validated query of {@code GET /api/search}: catalog's filters and sorts, plus the mode. Without
 * {@code q} it is a listing (a category page), newest first. {@code inStock}: true only what can be bought now, false only
 * what cannot, null both.
 */
record SearchQuery(String q, String mode, String category, BigDecimal minPrice, BigDecimal maxPrice, String sort, Page page,
                   Boolean inStock) {
    static final Set<String> MODES = Set.of("keyword", "semantic", "hybrid");
    static final Set<String> SORTS = Set.of("relevance", "price_asc", "price_desc", "name_asc", "newest");
    static final int MAX_QUERY = 200;
    /** Results reachable by paging (as catalog's list): deeper pages are refused rather than slow. */
    static final int MAX_WINDOW = 1_000;
    private static final String SLUG = "^[a-z0-9]+(-[a-z0-9]+)*$";

    static SearchQuery from(ServerRequest req) {
        String q = Params.query(req, "q").orElse(null);
        if (q == null) {
            q = Params.query(req, "query").orElse(null); // the seed's /ai/search?query=
        }
        if (q != null && q.length() > MAX_QUERY) {
            throw ApiException.invalidField("q", "must be at most " + MAX_QUERY + " characters");
        }
        String mode = Params.oneOf(req, "mode", MODES).orElse("hybrid");
        Optional<String> category = Params.query(req, "category");
        if (category.isPresent() && !category.get().matches(SLUG)) {
            throw ApiException.invalidField("category", "must be a category slug");
        }
        BigDecimal min = Params.money(req, "minPrice").orElse(null);
        BigDecimal max = Params.money(req, "maxPrice").orElse(null);
        if (min != null && max != null && min.compareTo(max) > 0) {
            throw ApiException.invalidField("minPrice", "must not be greater than maxPrice");
        }
        String sort = Params.oneOf(req, "sort", SORTS).orElse(q != null ? "relevance" : "newest");
        if (sort.equals("relevance") && q == null) {
            sort = "newest"; // relevance means nothing without a query
        }
        Page page = Page.from(req);
        if ((long) page.page() * page.limit() > MAX_WINDOW) {
            throw ApiException.invalidField("page", "page times limit must be at most " + MAX_WINDOW);
        }
        Boolean inStock = Params.oneOf(req, "inStock", Set.of("true", "false")).map(Boolean::parseBoolean).orElse(null);
        return new SearchQuery(q, mode, category.orElse(null), min, max, sort, page, inStock);
    }
}
