package dev.storefront.payment;

import java.util.Map;
import java.util.UUID;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.security.Authz;
import dev.storefront.common.security.Principal;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Bodies;
import dev.storefront.common.web.Params;
import dev.storefront.common.web.Responses;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** Public routes under /api/payments: a shopper's own payment, and the provider's signed webhook. */
public final class PaymentService implements HttpService {
    private static final int MAX_WEBHOOK_BYTES = 512 * 1024;

    private final ServiceContext ctx;
    private final PaymentRepository repo;
    private final StripeWebhooks webhooks;

    public PaymentService(ServiceContext ctx, PaymentRepository repo, StripeWebhooks webhooks) {
        this.ctx = ctx;
        this.repo = repo;
        this.webhooks = webhooks;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/webhook", this::webhook)
                .get("/{id}", this::get);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Principal p = ctx.authz().user(req);
        UUID id = Params.pathId(req, "id", "Payment");
        Payment payment = repo.byId(id).orElseThrow(() -> ApiException.notFound("Payment"));
        Authz.ownedOrNotFound(p, payment.userId(), "Payment");
        Responses.ok(res, payment);
    }

    /** Authenticated by the Stripe-Signature header instead of a token. */
    private void webhook(ServerRequest req, ServerResponse res) {
        String signature = req.headers().first(HeaderNames.create("Stripe-Signature")).orElse(null);
        byte[] body = Bodies.readBytes(req, MAX_WEBHOOK_BYTES, false);
        StripeWebhooks.Receipt receipt = webhooks.receive(body, signature);
        Responses.ok(res, Map.of("eventId", receipt.eventId(), "type", receipt.type(), "duplicate", receipt.duplicate()));
    }
}
