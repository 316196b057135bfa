package dev.storefront.catalog;

import java.util.List;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceServer;
import io.helidon.config.Config;

/** The catalog on its own (split mode, Kubernetes). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Config config = Config.create();
        ServiceContext ctx = ServiceContext.builder("catalog", config).build();
        CatalogModule module = CatalogModule.create(ctx);
        ServiceServer.start(config, config.get("server.port").asInt().orElse(8082), List.of(module));
        if (ctx.demoData()) {
            module.seedDemoData();
        }
    }
}
