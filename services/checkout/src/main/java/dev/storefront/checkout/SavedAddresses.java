package dev.storefront.checkout;

import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.http.ServiceClient;
import dev.storefront.common.web.ApiException;

/**
 * The shopper's saved addresses, from auth's public GET /api/users/addresses. That route answers
 * only to the shopper's own token, so this client sends the token of the request being served
 * (held in a thread-local around the one call; Helidon runs each request on its own thread)
 * instead of this service's token, and keeps the kit's timeouts, retries and request id.
 */
final class SavedAddresses {
    private static final ThreadLocal<String> SHOPPER_TOKEN = new ThreadLocal<>();

    private final ServiceClient auth;

    SavedAddresses(ServiceContext ctx) {
        this.auth = new ServiceClient("auth", ctx.serviceUrl("auth"), SHOPPER_TOKEN::get,
                Duration.ofMillis(ctx.config().get("storefront.http.timeout-ms").asLong().orElse(5_000L)),
                ctx.config().get("storefront.http.max-attempts").asInt().orElse(3));
    }

    /** The saved address {@code id} of the shopper whose token this is; a 400 when it is not theirs. */
    ShippingAddress find(String shopperToken, UUID id) {
        JsonNode addresses;
        SHOPPER_TOKEN.set(shopperToken);
        try {
            addresses = auth.get("/api/users/addresses");
        } finally {
            SHOPPER_TOKEN.remove();
        }
        if (addresses != null) {
            for (JsonNode a : addresses.isArray() ? addresses : addresses.path("items")) {
                if (id.toString().equalsIgnoreCase(a.path("id").asText())) {
                    return ShippingAddress.fromSaved(a);
                }
            }
        }
        throw ApiException.invalidField("addressId", "is not one of your saved addresses");
    }
}
