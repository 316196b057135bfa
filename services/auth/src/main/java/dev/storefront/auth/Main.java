package dev.storefront.auth;

import java.util.List;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceServer;
import io.helidon.config.Config;

/** auth on its own (split mode, Kubernetes): port 8081 locally, SERVER_PORT in a cluster. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Config config = Config.create();
        ServiceContext ctx = ServiceContext.builder("auth", config).build();
        AuthModule module = AuthModule.create(ctx);
        ServiceServer.start(config, config.get("server.port").asInt().orElse(8081), List.of(module));
        Runtime.getRuntime().addShutdownHook(new Thread(module::close));
    }
}
