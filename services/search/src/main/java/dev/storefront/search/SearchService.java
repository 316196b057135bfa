package dev.storefront.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Params;
import dev.storefront.common.web.Responses;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** /api/search: anyone searches and gets suggestions; an admin rebuilds the index and sees how far it got. */
final class SearchService implements HttpService {
    private final ServiceContext ctx;
    private final ProductSearch search;
    private final Suggestions suggestions;
    private final IndexRebuild rebuild;

    SearchService(ServiceContext ctx, ProductSearch search, Suggestions suggestions, IndexRebuild rebuild) {
        this.ctx = ctx;
        this.search = search;
        this.suggestions = suggestions;
        this.rebuild = rebuild;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::search)
                .get("/suggest", this::suggest)
                .post("/index", this::rebuild)
                .get("/index", this::progress);
    }

    /**
     * The seed's routes, as aliases: {@code GET /ai/search?query=} is {@code GET /api/search} ({@code query} stands for
     * {@code q}, see {@link SearchQuery}), {@code POST /ai/index} is {@code POST /api/search/index} (admin).
     */
    void seedAliases(HttpRouting.Builder routing) {
        routing.get("/ai/search", this::search).post("/ai/index", this::rebuild);
    }

    /** GET /api/search?q=&mode=&category=&minPrice=&maxPrice=&inStock=&sort=&page=&limit= */
    private void search(ServerRequest req, ServerResponse res) {
        SearchQuery query = SearchQuery.from(req);
        ProductSearch.Result result;
        try {
            result = search.search(query);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("mode", query.q() == null ? "browse" : query.mode());
        data.put("items", result.items());
        data.put("facets", result.facets());
        Map<String, Object> body = Responses.success(data);
        body.put("pagination", Map.of("page", query.page().page(), "limit", query.page().limit(), "total", result.total()));
        Responses.send(res, 200, body);
    }

    /** GET /api/search/suggest?q= */
    private void suggest(ServerRequest req, ServerResponse res) {
        String q = Params.query(req, "q").orElseThrow(() -> ApiException.invalidField("q", "is required"));
        if (q.length() > SearchQuery.MAX_QUERY) {
            throw ApiException.invalidField("q", "must be at most " + SearchQuery.MAX_QUERY + " characters");
        }
        try {
            Responses.ok(res, suggestions.suggest(q));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POST /api/search/index (admin): starts a rebuild from catalog, or joins the one running; 202 with its progress. */
    private void rebuild(ServerRequest req, ServerResponse res) {
        ctx.authz().admin(req);
        Responses.status(res, 202, rebuild.request());
    }

    /** GET /api/search/index (admin): the last rebuild's progress. */
    private void progress(ServerRequest req, ServerResponse res) {
        ctx.authz().admin(req);
        Responses.ok(res, rebuild.progress());
    }
}
