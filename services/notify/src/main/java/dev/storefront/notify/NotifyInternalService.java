package dev.storefront.notify;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.web.Bodies;
import dev.storefront.common.web.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** POST /internal/notify: a mail on another service's behalf (service tokens only). */
public final class NotifyInternalService implements HttpService {
    private final ServiceContext ctx;
    private final Notifier notifier;

    public NotifyInternalService(ServiceContext ctx, Notifier notifier) {
        this.ctx = ctx;
        this.notifier = notifier;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::send);
    }

    private void send(ServerRequest req, ServerResponse res) {
        ctx.authz().service(req);
        Responses.created(res, notifier.send(Bodies.read(req, NotifyRequest.class)));
    }
}
