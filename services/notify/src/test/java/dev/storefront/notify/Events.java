package dev.storefront.notify;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.web.Json;
import io.nats.client.impl.NatsMessage;

/** Test events, published straight to the env's stream. */
final class Events {
    private Events() {
    }

    static CloudEvent order(String type, UUID orderId, UUID userId, String productName, BigDecimal total) {
        return CloudEvent.of("order", type, Map.of(
                "id", orderId, "userId", userId, "status", "CONFIRMED", "currency", "USD",
                "items", List.of(Map.of("productId", UUID.randomUUID(), "name", productName, "unitPrice", total,
                        "quantity", 1, "lineTotal", total)),
                "subtotal", total, "total", total));
    }

    /** Publishes the event; each call is a new JetStream message, so twice = a redelivery. */
    static void publish(ServiceContext ctx, CloudEvent event) throws Exception {
        ctx.bus().jetStream().publish(NatsMessage.builder().subject(ctx.bus().subjectFor(event.type()))
                .data(Json.write(event).getBytes(StandardCharsets.UTF_8)).build());
    }
}
