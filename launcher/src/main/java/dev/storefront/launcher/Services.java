package dev.storefront.launcher;

import java.util.List;

/** The services the launcher runs, in start order, with their split-mode ports and main classes. */
public enum Services {
    AUTH(8081), CATALOG(8082), INVENTORY(8083), CART(8084), ORDER(8085), CHECKOUT(8086), PAYMENT(8087), NOTIFY(8088);

    public final int splitPort;

    Services(int splitPort) {
        this.splitPort = splitPort;
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    String packageName() {
        return "dev.storefront." + id();
    }

    String mainClass() {
        return packageName() + ".Main";
    }

    /** Public path prefixes this service answers under (for the split-mode gateway). */
    List<String> publicPrefixes() {
        return switch (this) {
            case AUTH -> List.of("/api/auth", "/api/users");
            case CATALOG -> List.of("/api/products", "/api/categories");
            case INVENTORY -> List.of("/api/inventory");
            case CART -> List.of("/api/cart");
            case ORDER -> List.of("/api/orders");
            case CHECKOUT -> List.of("/api/checkout");
            case PAYMENT -> List.of("/api/payments");
            case NOTIFY -> List.of("/api/notifications");
        };
    }
}
