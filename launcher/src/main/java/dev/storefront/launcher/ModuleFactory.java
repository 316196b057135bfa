package dev.storefront.launcher;

import dev.storefront.analytics.AnalyticsModule;
import dev.storefront.auth.AuthModule;
import dev.storefront.cart.CartModule;
import dev.storefront.catalog.CatalogModule;
import dev.storefront.checkout.CheckoutModule;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceModule;
import dev.storefront.inventory.InventoryModule;
import dev.storefront.notify.NotifyModule;
import dev.storefront.order.OrderModule;
import dev.storefront.payment.PaymentModule;
import dev.storefront.search.SearchModule;

/** The one place that knows every service's module: the launcher's composition root. */
final class ModuleFactory {
    private ModuleFactory() {
    }

    static ServiceModule create(Services service, ServiceContext ctx) {
        return switch (service) {
            case AUTH -> AuthModule.create(ctx);
            case CATALOG -> CatalogModule.create(ctx);
            case INVENTORY -> InventoryModule.create(ctx);
            case CART -> CartModule.create(ctx);
            case ORDER -> OrderModule.create(ctx);
            case CHECKOUT -> CheckoutModule.create(ctx);
            case PAYMENT -> PaymentModule.create(ctx);
            case NOTIFY -> NotifyModule.create(ctx);
            case ANALYTICS -> AnalyticsModule.create(ctx);
            case SEARCH -> SearchModule.create(ctx);
        };
    }
}
