package dev.storefront.checkout;

import java.util.List;

import dev.storefront.common.BackgroundJob;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceModule;
import io.helidon.webserver.http.HttpRouting;

/** Checkout as the launcher and {@link Main} mount it: the public routes and the saga recovery job. */
public final class CheckoutModule implements ServiceModule {
    private final ServiceContext ctx;
    private final CheckoutService service;
    private final SagaRunner runner;
    private final SagaRecovery recovery;
    private final CheckoutRepository repo;

    private CheckoutModule(ServiceContext ctx) {
        this.ctx = ctx;
        CheckoutSettings settings = CheckoutSettings.from(ctx.config());
        this.repo = new CheckoutRepository(ctx.db(), settings.stuckAfter());
        this.runner = new SagaRunner(ctx, repo, settings);
        this.recovery = new SagaRecovery(repo, runner, settings);
        CartPricing pricing = new CartPricing(ctx, new SavedAddresses(ctx));
        this.service = new CheckoutService(ctx, new Checkouts(repo, pricing, new StockPrecheck(ctx), runner, settings), settings);
        SagaMetrics.register(repo);
        ctx.onClose(() -> SagaMetrics.forget(repo));
    }

    public static CheckoutModule create(ServiceContext ctx) {
        return new CheckoutModule(ctx);
    }

    @Override
    public String name() {
        return "checkout";
    }

    @Override
    public ServiceContext context() {
        return ctx;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/api/checkout", service);
    }

    @Override
    public List<BackgroundJob> jobs() {
        return List.of(recovery.job());
    }

    SagaRunner runner() {
        return runner;
    }

    CheckoutRepository repository() {
        return repo;
    }

    SagaRecovery recovery() {
        return recovery;
    }
}
