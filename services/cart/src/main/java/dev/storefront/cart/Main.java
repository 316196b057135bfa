package dev.storefront.cart;

import java.util.List;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceServer;
import io.helidon.config.Config;

/** The cart service on its own (split mode, Kubernetes). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Config config = Config.create();
        ServiceContext ctx = ServiceContext.builder("cart", config).build();
        ServiceServer.start(config, config.get("server.port").asInt().orElse(8084), List.of(CartModule.create(ctx)));
    }
}
