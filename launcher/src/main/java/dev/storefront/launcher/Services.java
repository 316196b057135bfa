package dev.storefront.launcher;

import java.util.List;

import dev.storefront.common.ServiceDefinition;
import dev.storefront.common.ServiceRegistry;

/**
 * The launcher's handle on each backend service, in start order; what each one is (split port, main
 * class, prefixes) comes from the kit's {@link ServiceRegistry} (a test keeps the two lists equal).
 */
public enum Services {
    AUTH, CATALOG, INVENTORY, CART, ORDER, CHECKOUT, PAYMENT, NOTIFY, ANALYTICS, SEARCH;

    public final int splitPort;

    Services() {
        this.splitPort = ServiceRegistry.of(name().toLowerCase(java.util.Locale.ROOT)).splitPort();
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public ServiceDefinition definition() {
        return ServiceRegistry.of(id());
    }

    String mainClass() {
        return definition().mainClass();
    }

    /** Public path prefixes this service answers under (for the split-mode gateway). */
    List<String> publicPrefixes() {
        return definition().publicPrefixes();
    }
}
