package dev.storefront.inventory;

import java.util.List;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceServer;
import io.helidon.config.Config;

/** Inventory on its own (split mode, Kubernetes). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Config config = Config.create();
        ServiceContext ctx = ServiceContext.builder("inventory", config).build();
        InventoryModule module = InventoryModule.create(ctx);
        if (ctx.demoData()) {
            module.seedDemoData();
        }
        ServiceServer.start(config, config.get("server.port").asInt().orElse(8083), List.of(module));
    }
}
