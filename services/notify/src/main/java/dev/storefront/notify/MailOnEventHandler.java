package dev.storefront.notify;

import java.util.List;

import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.events.EventHandler;
import io.helidon.dbclient.DbTransaction;

/** The shop events a shopper (or the admins) gets a mail for: each is recorded with its template. */
final class MailOnEventHandler extends EventHandler {
    private final Notifier notifier;

    MailOnEventHandler(Notifier notifier) {
        super("mail", Notifier.TEMPLATE_BY_EVENT.keySet().stream().sorted().toList());
        this.notifier = notifier;
    }

    @Override
    public void apply(DbTransaction tx, CloudEvent event) {
        notifier.onEvent(tx, event);
    }
}
