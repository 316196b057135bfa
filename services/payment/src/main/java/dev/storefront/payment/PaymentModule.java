package dev.storefront.payment;

import java.util.List;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceModule;
import dev.storefront.common.events.EventHandler;
import io.helidon.webserver.http.HttpRouting;

/** The payment service: charges, refunds, the provider webhook, and refunds of cancelled orders. */
public final class PaymentModule implements ServiceModule {
    private final ServiceContext ctx;
    private final PaymentProvider provider;
    private final Payments payments;
    private final PaymentService publicService;
    private final PaymentInternalService internalService;
    private final List<EventHandler> handlers;

    private PaymentModule(ServiceContext ctx, PaymentProvider provider) {
        this.ctx = ctx;
        this.provider = provider;
        PaymentRepository repo = new PaymentRepository(ctx.db());
        this.payments = new Payments(ctx, repo, provider);
        this.publicService = new PaymentService(ctx, repo, new StripeWebhooks(ctx, repo, payments));
        this.internalService = new PaymentInternalService(ctx, repo, payments);
        this.handlers = List.of(new OrderCancelledHandler(payments));
    }

    /** With the provider {@code storefront.payment.provider} names. */
    public static PaymentModule create(ServiceContext ctx) {
        return new PaymentModule(ctx, PaymentProvider.fromConfig(ctx.config()));
    }

    public static PaymentModule create(ServiceContext ctx, PaymentProvider provider) {
        return new PaymentModule(ctx, provider);
    }

    public PaymentProvider provider() {
        return provider;
    }

    @Override
    public String name() {
        return "payment";
    }

    @Override
    public ServiceContext context() {
        return ctx;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/api/payments", publicService)
                .register("/internal/payments", internalService);
    }

    @Override
    public List<EventHandler> eventHandlers() {
        return handlers;
    }
}
