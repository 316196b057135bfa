package dev.storefront.payment;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Bodies;
import dev.storefront.common.web.Params;
import dev.storefront.common.web.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** /internal/payments: charge and refund for checkout and order, service tokens only. */
public final class PaymentInternalService implements HttpService {
    private final ServiceContext ctx;
    private final PaymentRepository repo;
    private final Payments payments;

    public PaymentInternalService(ServiceContext ctx, PaymentRepository repo, Payments payments) {
        this.ctx = ctx;
        this.repo = repo;
        this.payments = payments;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/charge", this::charge)
                .post("/refund", this::refund)
                .get("/by-order/{orderId}", this::byOrder);
    }

    private void charge(ServerRequest req, ServerResponse res) {
        ctx.authz().service(req);
        Responses.ok(res, payments.charge(Bodies.read(req, ChargeRequest.class)));
    }

    private void refund(ServerRequest req, ServerResponse res) {
        ctx.authz().service(req);
        RefundRequest body = Bodies.read(req, RefundRequest.class);
        body.validate();
        Responses.ok(res, payments.refund(body.orderId()));
    }

    private void byOrder(ServerRequest req, ServerResponse res) {
        ctx.authz().service(req);
        Responses.ok(res, repo.byOrder(Params.pathId(req, "orderId", "Payment"))
                .orElseThrow(() -> ApiException.notFound("Payment")));
    }
}
