package dev.storefront.common.web;

import io.helidon.webserver.http.ServerRequest;

/** A validated page request: page >= 1, limit 1..maxLimit. */
public record Page(int page, int limit) {
    public int offset() {
        return (page - 1) * limit;
    }

    public static Page from(ServerRequest req) {
        return from(req, 20, 100);
    }

    public static Page from(ServerRequest req, int defaultLimit, int maxLimit) {
        int page = Params.intParam(req, "page", 1, 1, 1_000_000);
        int limit = Params.intParam(req, "limit", defaultLimit, 1, maxLimit);
        return new Page(page, limit);
    }
}
