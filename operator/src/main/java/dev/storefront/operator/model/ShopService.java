package dev.storefront.operator.model;

import java.util.List;
import java.util.Locale;

/** The shop's deployable parts, with the public path prefixes the gateway routes to each (docs/contracts.md). */
public enum ShopService {
    AUTH(List.of("/api/auth", "/api/users")),
    CATALOG(List.of("/api/products", "/api/categories", "/ai/prices")),
    INVENTORY(List.of("/api/inventory")),
    CART(List.of("/api/cart")),
    ORDER(List.of("/api/orders")),
    CHECKOUT(List.of("/api/checkout")),
    PAYMENT(List.of("/api/payments")),
    NOTIFY(List.of("/api/notifications")),
    ANALYTICS(List.of("/api/analytics")),
    /** With the seed's /ai/search and /ai/index (aliases of /api/search and /api/search/index). */
    SEARCH(List.of("/api/search", "/ai/search", "/ai/index")),
    /** The static shop UI: no database, no messaging, gets "/". */
    WEB(List.of("/"));

    /** Every Storefront pod listens here in Kubernetes. */
    public static final int PORT = 8080;

    private final List<String> publicPaths;

    ShopService(List<String> publicPaths) {
        this.publicPaths = publicPaths;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public List<String> publicPaths() {
        return publicPaths;
    }

    /** Backends own a database, use NATS and get service credentials; web is static files. */
    public boolean isBackend() {
        return this != WEB;
    }

    /** Has its own database and login role (only these may reach PostgreSQL). */
    public boolean hasDatabase() {
        return isBackend();
    }

    /**
     * Connects to NATS (only these may reach it). Every backend does: the kit's ServiceContext opens the event bus
     * and its outbox relay at start, so checkout, which neither publishes nor consumes today, connects too.
     */
    public boolean usesMessaging() {
        return isBackend();
    }

    public static List<ShopService> backends() {
        return java.util.Arrays.stream(values()).filter(ShopService::isBackend).toList();
    }
}
