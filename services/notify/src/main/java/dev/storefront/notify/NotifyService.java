package dev.storefront.notify;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.security.Principal;
import dev.storefront.common.web.Page;
import dev.storefront.common.web.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** GET /api/notifications: the caller's own notifications, newest first. */
public final class NotifyService implements HttpService {
    private final ServiceContext ctx;
    private final NotifyRepository repo;

    public NotifyService(ServiceContext ctx, NotifyRepository repo) {
        this.ctx = ctx;
        this.repo = repo;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Principal p = ctx.authz().user(req);
        Page page = Page.from(req);
        Responses.page(res, repo.forUser(p.userId(), page), page, repo.countForUser(p.userId()));
    }
}
