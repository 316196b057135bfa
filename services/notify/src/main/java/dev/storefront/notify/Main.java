package dev.storefront.notify;

import java.util.List;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceServer;
import io.helidon.config.Config;

/** The notification service on its own (split mode, Kubernetes). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Config config = Config.create();
        ServiceContext ctx = ServiceContext.builder("notify", config).build();
        ServiceServer.start(config, config.get("server.port").asInt().orElse(8088), List.of(NotifyModule.create(ctx)));
    }
}
