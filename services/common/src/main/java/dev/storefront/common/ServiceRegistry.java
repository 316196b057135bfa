package dev.storefront.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one list of the platform's services (docs/contracts.md, "Services and ports", is checked against
 * it; the launcher's gateway, the web module's reserved prefixes and the operator's service table
 * read it or are tested against it). Backends come first, in the order the launcher starts them
 * (auth first: the others fetch its keys and their service tokens from it).
 */
public final class ServiceRegistry {
    /** Every pod listens here in Kubernetes. */
    public static final int CLUSTER_PORT = 8080;

    /** Prefixes that are never the web UI's: API, the seed's /ai aliases, internal calls, health, metrics, OpenAPI. */
    public static final List<String> RESERVED_PREFIXES = List.of("/api", "/ai", "/internal", "/observe", "/metrics", "/health", "/openapi");

    public static final ServiceDefinition AUTH = new ServiceDefinition("auth", 8081,
            List.of("/api/auth", "/api/users"), List.of("/internal/auth"), true, Map.of(),
            List.of("refresh-token-cleanup", "signing-key-reload"), true);
    public static final ServiceDefinition CATALOG = new ServiceDefinition("catalog", 8082,
            List.of("/api/products", "/api/categories", "/ai/prices"), List.of("/internal/catalog"), true, Map.of(),
            List.of("activity-flush", "price-feeds", "image-cleanup"), true);
    public static final ServiceDefinition INVENTORY = new ServiceDefinition("inventory", 8083,
            List.of("/api/inventory"), List.of("/internal/inventory"), true, ordered(
                    "storefront.product.created", "ProductCreatedHandler",
                    "storefront.product.deleted", "ProductDeletedHandler",
                    "storefront.order.cancelled", "OrderCancelledHandler"),
            List.of("reservation-expiry"), true);
    public static final ServiceDefinition CART = new ServiceDefinition("cart", 8084,
            List.of("/api/cart"), List.of("/internal/cart"), true, ordered(
                    "storefront.product.updated", "ProductUpdatedHandler",
                    "storefront.product.deleted", "ProductDeletedHandler"),
            List.of(), true);
    public static final ServiceDefinition ORDER = new ServiceDefinition("order", 8085,
            List.of("/api/orders"), List.of("/internal/orders"), true, Map.of(), List.of(), true);
    public static final ServiceDefinition CHECKOUT = new ServiceDefinition("checkout", 8086,
            List.of("/api/checkout"), List.of(), false, Map.of(), List.of("saga-recovery"), true);
    public static final ServiceDefinition PAYMENT = new ServiceDefinition("payment", 8087,
            List.of("/api/payments"), List.of("/internal/payments"), true, ordered(
                    "storefront.order.cancelled", "OrderCancelledHandler"),
            List.of(), true);
    public static final ServiceDefinition NOTIFY = new ServiceDefinition("notify", 8088,
            List.of("/api/notifications"), List.of("/internal/notify"), false, ordered(
                    "storefront.user.registered", "MailOnEventHandler",
                    "storefront.order.confirmed", "MailOnEventHandler",
                    "storefront.order.cancelled", "MailOnEventHandler",
                    "storefront.order.shipped", "MailOnEventHandler",
                    "storefront.order.delivered", "MailOnEventHandler",
                    "storefront.payment.failed", "MailOnEventHandler",
                    "storefront.payment.refunded", "MailOnEventHandler",
                    "storefront.inventory.low_stock", "MailOnEventHandler"),
            List.of("mail-sender"), true);
    /** Events in (bus and clients), hourly/daily rollups, the owner's dashboard; split port after web's. */
    public static final ServiceDefinition ANALYTICS = new ServiceDefinition("analytics", 8090,
            List.of("/api/analytics"), List.of(), false, ordered(
                    "storefront.product.created", "ProductChangedHandler",
                    "storefront.product.updated", "ProductChangedHandler",
                    "storefront.product.activity", "ProductActivityHandler",
                    "storefront.cart.item_added", "CartItemAddedHandler",
                    "storefront.order.confirmed", "OrderEventsHandler",
                    "storefront.order.cancelled", "OrderEventsHandler",
                    "storefront.payment.refunded", "OrderEventsHandler"),
            List.of("partition-maintenance"), true);
    /**
     * A Lucene index of the catalog per replica (keyword, semantic, hybrid), fed by catalog's product events and
     * inventory's availability; the seed's /ai/search and /ai/index are aliases of its routes (catalog has /ai/prices).
     */
    public static final ServiceDefinition SEARCH = new ServiceDefinition("search", 8091,
            List.of("/api/search", "/ai/search", "/ai/index"), List.of(), false, ordered(
                    "storefront.product.created", "ProductCreatedHandler",
                    "storefront.product.updated", "ProductUpdatedHandler",
                    "storefront.product.deleted", "ProductDeletedHandler",
                    "storefront.inventory.availability_changed", "AvailabilityChangedHandler"),
            List.of("index-rebuild"), true);
    /** The shop's UI: static files, no database, no messaging; everything not reserved. */
    public static final ServiceDefinition WEB = new ServiceDefinition("web", 8089,
            List.of("/"), List.of(), false, Map.of(), List.of(), false);

    private static final List<ServiceDefinition> ALL = List.of(AUTH, CATALOG, INVENTORY, CART, ORDER, CHECKOUT, PAYMENT, NOTIFY, ANALYTICS, SEARCH, WEB);

    private ServiceRegistry() {
    }

    /** Every service, backends first in start order, web last. */
    public static List<ServiceDefinition> all() {
        return ALL;
    }

    /** The services with a database and NATS, in start order. */
    public static List<ServiceDefinition> backends() {
        return ALL.stream().filter(ServiceDefinition::backend).toList();
    }

    public static ServiceDefinition of(String name) {
        return ALL.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No service named " + name + " in the registry"));
    }

    private static Map<String, String> ordered(String... typeAndHandler) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < typeAndHandler.length; i += 2) {
            map.put(typeAndHandler[i], typeAndHandler[i + 1]);
        }
        return map;
    }
}
