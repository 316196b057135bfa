package dev.storefront.payment;

import java.util.List;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceServer;
import io.helidon.config.Config;

/** The payment service on its own (split mode, Kubernetes). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Config config = Config.create();
        ServiceContext ctx = ServiceContext.builder("payment", config).build();
        ServiceServer.start(config, config.get("server.port").asInt().orElse(8087), List.of(PaymentModule.create(ctx)));
    }
}
