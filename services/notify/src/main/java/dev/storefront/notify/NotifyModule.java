package dev.storefront.notify;

import java.util.List;

import dev.storefront.common.BackgroundJob;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceModule;
import dev.storefront.common.events.EventHandler;
import io.helidon.webserver.http.HttpRouting;

/** The notification service: mails for the shop's events, an internal send route, and a shopper's list. */
public final class NotifyModule implements ServiceModule {
    private final ServiceContext ctx;
    private final Notifier notifier;
    private final MailSenderJob sender;
    private final NotifyService publicService;
    private final NotifyInternalService internalService;
    private final List<EventHandler> handlers;

    private NotifyModule(ServiceContext ctx) {
        this.ctx = ctx;
        NotifyRepository repo = new NotifyRepository(ctx.db());
        Mailer mailer = new Mailer(ctx.config().get("storefront.mail"));
        this.notifier = new Notifier(ctx, repo, mailer);
        this.sender = new MailSenderJob(repo, mailer, ctx.config().get("storefront.mail.retry"));
        this.publicService = new NotifyService(ctx, repo);
        this.internalService = new NotifyInternalService(ctx, notifier);
        this.handlers = List.of(new MailOnEventHandler(notifier));
        ctx.db().onCommit(sender::wake);
    }

    public static NotifyModule create(ServiceContext ctx) {
        return new NotifyModule(ctx);
    }

    @Override
    public String name() {
        return "notify";
    }

    @Override
    public ServiceContext context() {
        return ctx;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/api/notifications", publicService)
                .register("/internal/notify", internalService);
    }

    @Override
    public List<EventHandler> eventHandlers() {
        return handlers;
    }

    @Override
    public List<BackgroundJob> jobs() {
        return List.of(sender.job());
    }
}
